import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { buildSlate } from "../../lib/discovery/pipeline";
import { loadViewer } from "../../lib/discovery/viewer";
import { ingestEvents } from "../../lib/events/ingest";
import { runCron } from "../../lib/job-registry/cron";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

const personEvent = (targetId: string, kind: string, dwellMs?: number) => ({
  id: randomUUID(),
  kind,
  targetType: "person",
  targetId,
  ...(dwellMs === undefined ? {} : { dwellMs }),
  clientTime: new Date().toISOString(),
});

describeEachDriver("behaviour features in ranking", (ctx) => {
  it("a person the viewer keeps opening rises in their next slate, measured against their own mean dwell", async () => {
    const viewer = await createUser(ctx.db, { displayName: "Vera" });
    const others = [];
    for (const name of ["Ana", "Bo", "Cai", "Dee"]) others.push(await createUser(ctx.db, { displayName: name }));
    // Everyone in one spot, nothing else known: the nearby fallback finds all four, alike.
    await ctx.db.query("UPDATE profiles SET lat = 40.4168, lon = -3.7038 WHERE user_id = ANY($1::uuid[])", [
      [viewer, ...others],
    ]);

    const before = await buildSlate(ctx.db, viewer, 10);
    expect(before.entries.map((e) => e.userId).sort()).toEqual([...others].sort());
    expect(before.entries.every((e) => e.contributions.attention === 0)).toBe(true);
    const last = before.entries.at(-1)!.userId;

    // Three profile opens and a long look at the last card; short looks at two others.
    const stored = await ingestEvents(ctx.db, { userId: viewer }, [
      personEvent(last, "open_profile"),
      personEvent(last, "open_profile"),
      personEvent(last, "open_profile"),
      personEvent(last, "dwell", 6_000),
      personEvent(before.entries[0].userId, "dwell", 1_000),
      personEvent(before.entries[1].userId, "dwell", 2_000),
    ]);
    expect(stored.accepted).toBe(6);

    // The 5-minute aggregate: the viewer's mean dwell on people's cards.
    expect((await loadViewer(ctx.db, viewer)).viewer.dwellAvgMs).toBeNull();
    const refresh = await runCron(ctx.db, "behaviour-aggregates");
    expect(refresh.status).toBe("done");
    const [avg] = await ctx.db.query<{ avg_dwell_ms: number; dwell_events: number }>(
      "SELECT avg_dwell_ms, dwell_events FROM user_dwell_avg WHERE user_id = $1 AND target_type = 'person'",
      [viewer],
    );
    expect(Number(avg.avg_dwell_ms)).toBeCloseTo(3_000, 6);
    expect(avg.dwell_events).toBe(3);
    expect((await loadViewer(ctx.db, viewer)).viewer.dwellAvgMs).toBeCloseTo(3_000, 6);

    const after = await buildSlate(ctx.db, viewer, 10);
    expect(after.entries[0].userId).toBe(last);
    expect(after.entries[0].contributions.attention).toBeGreaterThan(0);

    // Behaviour off: the ranker stops reading it at once, before any batch runs.
    await updatePrivacySettings(ctx.db, viewer, { behaviour: false });
    const off = await buildSlate(ctx.db, viewer, 10);
    expect(off.entries.every((e) => e.contributions.attention === 0)).toBe(true);
    expect((await loadViewer(ctx.db, viewer)).viewer.dwellAvgMs).toBeNull();
    // And the next refresh leaves them out of the aggregate.
    await runCron(ctx.db, "behaviour-aggregates");
    const gone = await ctx.db.query("SELECT 1 FROM user_dwell_avg WHERE user_id = $1", [viewer]);
    expect(gone).toHaveLength(0);
  });
});
