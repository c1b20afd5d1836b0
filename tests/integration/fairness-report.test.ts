import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as getAuditGroup, PUT as putAuditGroup } from "../../app/api/v2/privacy/audit-group/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { seedDemo } from "../../lib/demo/seed";
import type { FairnessReport } from "../../lib/fairness/exposure-report";
import { computeFairnessReport } from "../../lib/fairness/exposure-report";
import { serveCandidates } from "../../lib/discovery/pipeline";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { runBatch } from "../../lib/jobs/batch";
import { exportUserData } from "../../lib/privacy/export";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "fairness-test-secret-of-sufficient-length";

describeEachDriver("self-declared audit groups and the weekly fairness report", (ctx) => {
  let restore: () => void;
  let person = "";
  let headers: Record<string, string> = {};
  const auditGroup = async (body?: unknown) => {
    const init = { headers: { ...headers, "content-type": "application/json" } };
    const res = body
      ? await putAuditGroup(
          new Request("http://localhost/api/v2/privacy/audit-group", {
            ...init,
            method: "PUT",
            body: JSON.stringify(body),
          }),
        )
      : await getAuditGroup(new Request("http://localhost/api/v2/privacy/audit-group", init));
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    person = await createUser(ctx.db, { displayName: "Ada" });
    headers = { authorization: `Bearer ${await signAccessToken(person)}` };
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("is off until the person declares a group, comes in their export, and switching off deletes it", async () => {
    expect(await auditGroup()).toEqual({ status: 200, body: { enabled: false, group: null } });
    expect((await auditGroup({ enabled: true, group: "Not A Code" })).status).toBe(400);
    expect(await auditGroup({ enabled: true, group: "b" })).toEqual({
      status: 200,
      body: { enabled: true, group: "b" },
    });
    let text = "";
    for await (const part of exportUserData(ctx.db, person)) text += part;
    const exported = JSON.parse(text) as { tables: Record<string, { audit_group: string }[]> };
    expect(exported.tables.fairness_audit_attributes.map((r) => r.audit_group)).toEqual(["b"]);

    expect(await auditGroup({ enabled: false })).toEqual({ status: 200, body: { enabled: false, group: null } });
    const left = await ctx.db.query(`SELECT 1 FROM fairness_audit_attributes WHERE user_id = $1`, [person]);
    expect(left).toEqual([]);
  });

  it("reports disparate impact of position-weighted exposure per self-declared group on demo data", async () => {
    await seedDemo(ctx.db, { users: 80, seed: 5 });
    const [declared] = await ctx.db.query<{ n: number; groups: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT audit_group)::int AS groups FROM fairness_audit_attributes`,
    );
    // About 70% of demo people declare one of two groups; the rest declare nothing.
    expect(declared.groups).toBe(2);
    expect(declared.n).toBeGreaterThan(40);
    expect(declared.n).toBeLessThan(75);
    // Demo people live in cities: without taste vectors, viewers are served nearby and popular people.
    const viewers = await ctx.db.query<{ user_id: string }>(
      `SELECT user_id FROM profiles WHERE is_demo ORDER BY user_id LIMIT 15`,
    );
    for (const v of viewers) await serveCandidates(ctx.db, v.user_id, { limit: 10, offset: 0 });

    const outcome = await runBatch(ctx.db, batchJob("fairness-report", defaultJobContext()));
    expect(outcome.status).toBe("done");
    const [stored] = await ctx.db.query<{ groups: { groups: FairnessReport["groups"] }; disparate_impact: number }>(
      `SELECT groups, disparate_impact FROM fairness_reports ORDER BY id DESC LIMIT 1`,
    );
    const groups = stored.groups.groups;
    expect(groups.map((g) => g.group)).toEqual(["a", "b"]);
    expect(groups.reduce((s, g) => s + g.poolShare, 0)).toBeCloseTo(1, 3);
    expect(groups.reduce((s, g) => s + g.exposureShare, 0)).toBeCloseTo(1, 3);
    for (const g of groups) expect(g.impressions).toBeGreaterThan(0);
    const ratios = groups.map((g) => g.ratio);
    expect(stored.disparate_impact).toBeCloseTo(Math.min(...ratios) / Math.max(...ratios), 3);
    // The fairness stage keeps each group's exposure near its share of the pool.
    expect(stored.disparate_impact).toBeGreaterThan(0.6);
  }, 120_000);

  it("follows the formula: exposure weighs 1/log2(position + 1), shares over the eligible pool", async () => {
    // Groups "a" (six, one hidden: not in the pool) and "b" (five), one impression each: "a" at
    // position 1 (weight 1), "b" at position 3 (weight 1/2).
    await ctx.db.query(`DELETE FROM fairness_audit_attributes`);
    await ctx.db.query(`DELETE FROM events WHERE kind = 'impression'`);
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const id = await createUser(ctx.db, { displayName: `P${i}` });
      ids.push(id);
      await ctx.db.query(`INSERT INTO fairness_audit_attributes (user_id, audit_group) VALUES ($1, $2)`, [
        id,
        i < 6 ? "a" : "b",
      ]);
    }
    await ctx.db.query(`UPDATE profiles SET discoverable = false WHERE user_id = $1`, [ids[5]]);
    // A third group too small to report is left out.
    for (let i = 0; i < 3; i++) {
      const id = await createUser(ctx.db, { displayName: `Q${i}` });
      await ctx.db.query(`INSERT INTO fairness_audit_attributes (user_id, audit_group) VALUES ($1, 'c')`, [id]);
    }
    await ctx.db.query(
      `INSERT INTO events (user_id, kind, target_id, value) VALUES ($1, 'impression', $2, 1), ($1, 'impression', $3, 3)`,
      [person, ids[0], ids[6]],
    );
    const report = await computeFairnessReport(ctx.db, new Date(Date.now() + 60_000));
    expect(report.suppressedGroups).toBe(1);
    const [a, b] = report.groups;
    expect([a.group, a.members, b.group, b.members]).toEqual(["a", 5, "b", 5]);
    expect(a.exposureShare).toBeCloseTo(2 / 3, 3);
    expect(a.ratio).toBeCloseTo(4 / 3, 3);
    expect(b.ratio).toBeCloseTo(2 / 3, 3);
    expect(report.disparateImpact).toBeCloseTo(0.5, 3);
  });
});
