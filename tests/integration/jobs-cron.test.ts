import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cronResponse } from "../../api/cron";
import { GET } from "../../app/api/cron/[name]/route";
import { closeDb } from "../../lib/runtime/database";

const SECRET = "test-cron-secret-0123456789";

function call(name: string, authorization?: string): Promise<Response> {
  const headers = authorization ? { authorization } : undefined;
  return GET(new Request(`http://localhost/api/cron/${name}`, { headers }), { params: Promise.resolve({ name }) });
}

describe("GET /api/cron/<name>", () => {
  beforeAll(() => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("MESH_DATA_DIR", join(mkdtempSync(join(tmpdir(), "mesh-cron-")), "data"));
    vi.stubEnv("MESH_DEMO_USERS", "40");
    vi.stubEnv("CRON_SECRET", SECRET);
    vi.stubEnv("TRAITS_LLM_URL", "");
  });
  afterAll(async () => {
    await closeDb();
    vi.unstubAllEnvs();
  });

  it("refuses calls without the cron secret", async () => {
    expect((await call("traits")).status).toBe(401);
    expect((await call("traits", "Bearer wrong")).status).toBe(401);
    const res = await call("traits", `Bearer ${SECRET}x`);
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain(SECRET);
  });

  it("answers 400 naming the field for an unknown job", async () => {
    const res = await call("everything", `Bearer ${SECRET}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("name");
  });

  it("resumes where the last invocation stopped when the time budget runs out", async () => {
    vi.stubEnv("CRON_BUDGET_MS", "0"); // one chunk per call
    const first = cronResponse.parse(await (await call("profile-embeddings", `Bearer ${SECRET}`)).json());
    // 40 users fit in one 500-user chunk: the phase is complete after the first call...
    expect(first).toMatchObject({ job: "profile-embeddings", status: "paused", processed: 40 });
    // ...and the next call, on the same run, finds nothing left and closes it.
    const second = cronResponse.parse(await (await call("profile-embeddings", `Bearer ${SECRET}`)).json());
    expect(second).toMatchObject({ status: "done", processed: 0 });
    expect("runId" in second && "runId" in first && second.runId === first.runId).toBe(true);
    vi.stubEnv("CRON_BUDGET_MS", "");
    const worker = cronResponse.parse(await (await call("worker", `Bearer ${SECRET}`)).json());
    expect(worker).toMatchObject({ job: "worker", status: "drained" });
  });
});
