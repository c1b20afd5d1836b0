import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { invalidateAllSlates } from "../../lib/discovery/slate-cache";
import { GET as getCandidates } from "../../app/api/v2/discovery/candidates/route";
import { GET as getOpenReports } from "../../app/api/v2/moderation/reports/route";
import { POST as postModeration } from "../../app/api/v2/moderation/reports/[reportId]/route";
import { POST as postReport } from "../../app/api/v2/reports/route";
import { candidatesResponse } from "../../api/discovery";
import { openReportsResponse } from "../../api/moderation";
import { signAccessToken } from "../../lib/auth/tokens";
import { withClaims } from "../../lib/db/claims";
import { toVectorParam } from "../../lib/db/vector";
import type { Db } from "../../lib/db/types";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { runBatch } from "../../lib/jobs/batch";
import { exportUserData } from "../../lib/privacy/export";
import { deleteAccount } from "../../lib/users/delete-account";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "safety-test-secret-of-sufficient-length";

/** A 256-d taste vector along axis 0, nudged along axis 1: everyone here is a close match. */
function taste(jitter: number): string {
  const v = new Array(256).fill(0);
  v[0] = 1;
  v[1] = jitter;
  return toVectorParam(v);
}

async function person(db: Db, name: string, jitter: number): Promise<string> {
  const id = await createUser(db, { displayName: name });
  await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')`, [
    id,
    taste(jitter),
  ]);
  return id;
}

describeEachDriver("reports, moderation and harassment scores", (ctx) => {
  let restore: () => void;
  let viewer = "";
  let moderatorToken = "";
  const people: Record<string, string> = {};

  const as = async (userId: string, roles: "moderator"[] = []) => ({
    authorization: `Bearer ${await signAccessToken(userId, { roles })}`,
    "content-type": "application/json",
  });
  const report = async (from: string, body: Record<string, unknown>) =>
    postReport(
      new Request("http://localhost/api/v2/reports", {
        method: "POST",
        headers: await as(from),
        body: JSON.stringify(body),
      }),
    );
  const moderate = async (reportId: number, action: string, token = moderatorToken) =>
    postModeration(
      new Request(`http://localhost/api/v2/moderation/reports/${reportId}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ action }),
      }),
      { params: Promise.resolve({ reportId: String(reportId) }) },
    );
  const openReports = async (token = moderatorToken) =>
    getOpenReports(
      new Request("http://localhost/api/v2/moderation/reports", { headers: { authorization: `Bearer ${token}` } }),
    );
  /** Who the viewer is shown, best first, with their scores (a cached slate when there is one, as in production). */
  const slate = async (): Promise<Map<string, number>> => {
    const res = await getCandidates(
      new Request("http://localhost/api/v2/discovery/candidates?limit=50", { headers: await as(viewer) }),
    );
    expect(res.status).toBe(200);
    return new Map(candidatesResponse.parse(await res.json()).candidates.map((c) => [c.userId, c.score]));
  };
  const shown = async () => [...(await slate()).keys()];
  const score = async (userId: string) =>
    (
      await ctx.db.query<{ harassment_score: number }>(
        `SELECT harassment_score FROM safety_scores WHERE user_id = $1`,
        [userId],
      )
    )[0]?.harassment_score ?? null;
  const runScores = () => runBatch(ctx.db, batchJob("safety-scores", defaultJobContext()));
  /** Files a report straight into the table (the API's own rules are tested above). */
  const fileAs = (reporter: string, target: string) =>
    ctx.db.query(`INSERT INTO reports (reporter_id, target_id, reason) VALUES ($1, $2, 'harassment')`, [
      reporter,
      target,
    ]);
  const connect = (a: string, b: string) =>
    ctx.db.query(
      `INSERT INTO feedback (user_id, target_user_id, target_id, action) VALUES ($1, $2, $3, 'connect_accept')`,
      [a, b, b],
    );

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    vi.stubEnv("MESH_REPORTS_PER_DAY", "4");
    restore = serveRoutesFrom(ctx.db);
    viewer = await person(ctx.db, "Viewer", 0);
    const names = ["Single", "Brigaded", "Mobbed", "Suspended", "Blocked", "Clean"];
    for (const [i, name] of names.entries()) people[name] = await person(ctx.db, name, 0.01 * (i + 1));
    // Reporters have no vectors: they are never candidates themselves.
    for (let i = 0; i < 12; i++) people[`r${i}`] = await createUser(ctx.db, { displayName: `Reporter ${i}` });
    const moderator = await createUser(ctx.db, { displayName: "Moderator" });
    moderatorToken = await signAccessToken(moderator, { roles: ["moderator"] });
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("files a report (201); yourself is a 400, a second open one a 409, too long a 400, too many a 429", async () => {
    const [r0, single] = [people.r0, people.Single];
    const res = await report(r0, { userId: single, reason: "harassment", text: "  Kept messaging me.  " });
    expect(res.status).toBe(201);
    const filed = await res.json();
    expect(filed).toMatchObject({ userId: single, reason: "harassment", status: "open" });
    const [row] = await ctx.db.query<{ details: string }>(`SELECT details FROM reports WHERE id = $1`, [
      filed.reportId,
    ]);
    expect(row.details).toBe("Kept messaging me.");

    const self = await report(r0, { userId: r0, reason: "spam" });
    expect(self.status).toBe(400);
    expect((await self.json()).error.field).toBe("userId");
    const again = await report(r0, { userId: single, reason: "spam" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("already_reported");
    const long = await report(r0, { userId: people.Clean, reason: "other", text: "x".repeat(1001) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.field).toBe("text");
    const badReason = await report(r0, { userId: people.Clean, reason: "rude" });
    expect(badReason.status).toBe(400);

    // MESH_REPORTS_PER_DAY=4: three more reports go through, the fifth of the day is refused.
    for (const target of [people.r1, people.r2, people.r3]) {
      expect((await report(r0, { userId: target, reason: "spam" })).status).toBe(201);
    }
    const over = await report(r0, { userId: people.r4, reason: "spam" });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    const [count] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1`, [
      r0,
    ]);
    expect(count.n).toBe(4);
    // Those spam reports were only there to reach the cap.
    await ctx.db.query(`DELETE FROM reports WHERE reporter_id = $1 AND reason = 'spam'`, [r0]);
  });

  it("a reporter reads back their own reports only; the reported person sees none about them", async () => {
    await withClaims(ctx.db, { sub: people.r0, role: "authenticated" }, async (tx) => {
      expect(await tx.query(`SELECT target_id FROM reports`)).toEqual([{ target_id: people.Single }]);
    });
    await withClaims(ctx.db, { sub: people.Single, role: "authenticated" }, async (tx) => {
      expect(await tx.query(`SELECT id FROM reports`)).toEqual([]);
    });
  });

  it("a single report only down-ranks: the person stays in the viewer's suggestions, with a lower score", async () => {
    // The same slate without the report (dismissed reports count for nothing), then with it.
    await ctx.db.query(`UPDATE reports SET status = 'dismissed' WHERE target_id = $1`, [people.Single]);
    await invalidateAllSlates(ctx.db);
    const unreported = (await slate()).get(people.Single)!;
    await ctx.db.query(`UPDATE reports SET status = 'open' WHERE target_id = $1`, [people.Single]);
    await runScores();
    expect(await score(people.Single)).toBeGreaterThan(0);
    expect(await score(people.Single)).toBeLessThanOrEqual(0.8);
    await invalidateAllSlates(ctx.db);
    const reported = (await slate()).get(people.Single);
    expect(reported).toBeDefined();
    expect(reported!).toBeLessThan(unreported);
  });

  it("reporters connected to each other count once: a brigade of friends does not exclude", async () => {
    const [a, b, c, d] = [people.r1, people.r2, people.r3, people.r4];
    await connect(a, b);
    await connect(c, b);
    await connect(d, c);
    for (const r of [a, b, c, d]) await fileAs(r, people.Brigaded);
    await runScores();
    const [row] = await ctx.db.query<{ independent_reporters: number; harassment_score: number }>(
      `SELECT independent_reporters, harassment_score FROM safety_scores WHERE user_id = $1`,
      [people.Brigaded],
    );
    expect(row.independent_reporters).toBe(1);
    expect(row.harassment_score).toBeLessThanOrEqual(0.8);
    await invalidateAllSlates(ctx.db);
    expect(await shown()).toContain(people.Brigaded);
  });

  it("several independent reporters exclude without a moderator, from cached slates too", async () => {
    expect(await shown()).toContain(people.Mobbed);
    for (const r of [people.r5, people.r6]) await fileAs(r, people.Mobbed);
    await runScores();
    expect(await score(people.Mobbed)).toBeLessThanOrEqual(0.8);
    expect(await shown()).toContain(people.Mobbed);
    await fileAs(people.r7, people.Mobbed);
    await runScores();
    expect(await score(people.Mobbed)).toBeGreaterThan(0.8);
    expect(await shown()).not.toContain(people.Mobbed);
  });

  it("blocks alone only down-rank, however many", async () => {
    for (let i = 0; i < 12; i++) {
      await ctx.db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [
        people[`r${i}`],
        people.Blocked,
      ]);
    }
    await runScores();
    expect(await score(people.Blocked)).toBe(0.8);
    await invalidateAllSlates(ctx.db);
    expect(await shown()).toContain(people.Blocked);
  });

  it("moderators list open reports with the person's recent reports and blocks; others get 403", async () => {
    await fileAs(people.r8, people.Suspended);
    await ctx.db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [people.r9, people.Suspended]);
    expect((await openReports(await signAccessToken(people.r0))).status).toBe(403);
    const res = await openReports();
    expect(res.status).toBe(200);
    const { reports } = openReportsResponse.parse(await res.json());
    const about = reports.find((r) => r.reported.userId === people.Suspended)!;
    expect(about.reported.displayName).toBe("Suspended");
    expect(about.reported.recentReports.map((r) => r.reportId)).toContain(about.reportId);
    expect(about.reported.blocks).toEqual({ last90Days: 1, total: 1 });
    expect(JSON.stringify(reports)).not.toContain(people.r8);
  });

  it("dismiss: the report counts for nothing; suspend: gone from everyone's suggestions at once", async () => {
    const { reports } = openReportsResponse.parse(await (await openReports()).json());
    const single = reports.find((r) => r.reported.userId === people.Single)!;
    const dismissed = await moderate(single.reportId, "dismiss");
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toMatchObject({ action: "dismiss", resolved: 1, suspended: false });
    expect((await moderate(single.reportId, "warn")).status).toBe(409);
    expect((await moderate(single.reportId, "dismiss", await signAccessToken(people.r0))).status).toBe(403);
    await runScores();
    expect(await score(people.Single)).toBeNull();

    // The viewer's slate is cached and shows the person; the suspension drops it.
    await invalidateAllSlates(ctx.db);
    expect(await shown()).toContain(people.Suspended);
    const target = reports.find((r) => r.reported.userId === people.Suspended)!;
    const suspended = await moderate(target.reportId, "suspend");
    expect(await suspended.json()).toMatchObject({ action: "suspend", suspended: true, userId: people.Suspended });
    expect(await shown()).not.toContain(people.Suspended);
    // A moderator's confirmation holds whatever the job reads later.
    await ctx.db.query(`DELETE FROM reports WHERE target_id = $1`, [people.Suspended]);
    await runScores();
    expect(await score(people.Suspended)).toBe(1);
    expect(await shown()).not.toContain(people.Suspended);
  });

  it("warn upholds every open report about the person and records a warning in their export", async () => {
    await fileAs(people.r10, people.Clean);
    await fileAs(people.r11, people.Clean);
    const { reports } = openReportsResponse.parse(await (await openReports()).json());
    const first = reports.find((r) => r.reported.userId === people.Clean)!;
    expect(await (await moderate(first.reportId, "warn")).json()).toMatchObject({ resolved: 2, suspended: false });
    const open = openReportsResponse.parse(await (await openReports()).json()).reports;
    expect(open.some((r) => r.reported.userId === people.Clean)).toBe(false);

    const exported = async (userId: string) => {
      let text = "";
      for await (const part of exportUserData(ctx.db, userId)) text += part;
      return JSON.parse(text) as { tables: Record<string, Record<string, unknown>[]>; readme: { tables: object } };
    };
    const warned = await exported(people.Clean);
    expect(warned.tables.moderation_actions.map((a) => a.action)).toEqual(["warn"]);
    expect(warned.tables.reports).toEqual([]);
    expect(warned.readme.tables).toHaveProperty("moderation_actions");
    const reporter = await exported(people.r10);
    expect(reporter.tables.reports.map((r) => [r.target_id, r.status])).toEqual([[people.Clean, "upheld"]]);

    await deleteAccount(ctx.db, people.r10);
    await deleteAccount(ctx.db, people.Clean);
    const left = await ctx.db.query(
      `SELECT 1 FROM reports WHERE reporter_id = $1 OR target_id = $2
       UNION ALL SELECT 1 FROM moderation_actions WHERE user_id = $2`,
      [people.r10, people.Clean],
    );
    expect(left).toEqual([]);
  });
});
