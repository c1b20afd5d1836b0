import { beforeEach } from "vitest";
import { resetApiGuards } from "../../lib/route/api-guards";

// In-process route tests send hundreds of requests from one address ("local") within a minute.
// The per-address and per-user limits have tests of their own (tests/unit/http-guards.test.ts),
// which set their limits; every other test runs with limits it cannot reach, read afresh.
process.env.MESH_RATE_LIMIT_IP ??= "1000000";
process.env.MESH_RATE_LIMIT_USER ??= "1000000";
beforeEach(() => resetApiGuards());
