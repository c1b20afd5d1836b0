import { beforeEach } from "vitest";
import { resetBreakers } from "../../lib/outbound";

// Circuit breakers are per process: a test whose fake service failed must not leave the next
// test's calls failing fast. Each test starts with every breaker closed and default settings.
beforeEach(() => resetBreakers());
