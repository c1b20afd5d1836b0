import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "../../app/api/health/route";
import { healthResponse, unavailableResponse } from "../../api/health";
import { closeDb } from "../../lib/runtime/database";
import { listMigrations } from "../../lib/db/migrate";
import { activeDrivers } from "../helpers/drivers";
import { createTestDatabase } from "../helpers/pg-admin";

describe("GET /api/health", () => {
  afterEach(async () => {
    await closeDb();
    vi.unstubAllEnvs();
  });

  it("answers 200 with db pglite in embedded mode, migrating a new data directory first", async () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("MESH_DATA_DIR", join(mkdtempSync(join(tmpdir(), "mesh-health-")), "data"));
    vi.stubEnv("MESH_DEMO_USERS", "0"); // seeding is the dev-smoke and browser tests' business
    const res = await GET();
    expect(res.status).toBe(200);
    const body = healthResponse.parse(await res.json());
    expect(body.db).toBe("pglite");
    expect(body.migrations.applied).toBe(listMigrations().length);
    expect(body.migrations.latest).toBe(listMigrations().at(-1)!.version);
  });

  it.runIf(activeDrivers().includes("postgres"))("answers 200 with db postgres on DATABASE_URL", async () => {
    const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, "template");
    try {
      vi.stubEnv("DATABASE_URL", created.url);
      const res = await GET();
      expect(res.status).toBe(200);
      expect(healthResponse.parse(await res.json()).db).toBe("postgres");
    } finally {
      await closeDb();
      await created.drop();
    }
  });

  it("answers 503 with a JSON error when the database cannot be reached", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    vi.stubEnv("DATABASE_URL", "postgres://nobody:secret@127.0.0.1:1/none");
    const res = await GET();
    expect(res.status).toBe(503);
    const body = unavailableResponse.parse(await res.json());
    expect(JSON.stringify(body)).not.toContain("secret");
  });
});
