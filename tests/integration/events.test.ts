import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { signAccessToken } from "../../lib/auth/tokens";
import { ingestEvents } from "../../lib/events/ingest";
import { readBehaviourFeatures } from "../../lib/events/features";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { createUser } from "../../lib/users/create";
import { POST } from "../../app/api/v2/events/route";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "events-test-secret-of-sufficient-length";

const event = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  kind: "dwell",
  targetType: "person",
  targetId: "someone",
  dwellMs: 3000,
  clientTime: new Date().toISOString(),
  ...over,
});

describeEachDriver("POST /api/v2/events", (ctx) => {
  let restore: () => void;
  let userId = "";
  let token = "";
  const send = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    POST(
      new Request("http://localhost/api/v2/events", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
    );
  const count = async (where: string, params: unknown[]) =>
    (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE ${where}`, params as never[]))[0].n;

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    userId = await createUser(ctx.db, { displayName: "Eve" });
    token = await signAccessToken(userId);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("stores good events, rejects bad ones one by one by field, and answers 202", async () => {
    const good = [event(), event({ kind: "open_profile", dwellMs: undefined })];
    const res = await send({
      events: [
        good[0],
        { ...event(), kind: "teleport" },
        event({ dwellMs: 3 * 3600 * 1000 }),
        event({ clientTime: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString() }),
        event({ clientTime: new Date(Date.now() + 3600 * 1000).toISOString() }),
        { ...event(), id: "not-a-uuid" },
        good[1],
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      stored: true,
      rejected: [
        { index: 1, field: "kind", code: "invalid" },
        { index: 2, field: "dwellMs", code: "implausible" },
        { index: 3, field: "clientTime", code: "implausible" },
        { index: 4, field: "clientTime", code: "implausible" },
        { index: 5, field: "id", code: "invalid" },
      ],
    });
    expect(await count("user_id = $1", [userId])).toBe(2);
    expect(
      await count("user_id = $1 AND event_id = $2 AND kind = 'dwell' AND value = 3000", [userId, good[0].id]),
    ).toBe(1);
  });

  it("stores a retried batch once, even when the retry arrives in the next month", async () => {
    const other = await createUser(ctx.db);
    await ctx.db.query("SELECT events_ensure_partitions('2026-01-01', 2)");
    const batch = [
      event({ clientTime: "2026-01-31T23:58:00.000Z" }),
      event({ clientTime: "2026-01-31T23:59:00.000Z" }),
    ];
    const first = await ingestEvents(ctx.db, { userId: other }, batch, new Date("2026-01-31T23:59:30.000Z"));
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    const retry = await ingestEvents(ctx.db, { userId: other }, [...batch, batch[0]], new Date("2026-02-01T00:00:30Z"));
    expect(retry).toMatchObject({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await count("user_id = $1", [other])).toBe(2);
    const parts = await ctx.db.query<{ part: string; n: number }>(
      "SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM events WHERE user_id = $1 GROUP BY 1",
      [other],
    );
    expect(parts).toEqual([{ part: "events_y2026m01", n: 2 }]);
  });

  it("stores nothing for a person with behaviour off, and says so", async () => {
    const quiet = await createUser(ctx.db);
    await updatePrivacySettings(ctx.db, quiet, { behaviour: false });
    const res = await send({ events: [event(), event()] }, { authorization: `Bearer ${await signAccessToken(quiet)}` });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [], stored: false });
    expect(await count("user_id = $1 AND event_id IS NOT NULL", [quiet])).toBe(0);
    expect((await readBehaviourFeatures(ctx.db, quiet)).lastActions).toEqual([]);
  });

  it("caps events per minute per person and per anonymous id", async () => {
    vi.stubEnv("MESH_EVENTS_PER_MINUTE", "5");
    try {
      const busy = await createUser(ctx.db);
      const now = new Date();
      const first = await ingestEvents(ctx.db, { userId: busy }, [event(), event(), event()], now);
      const second = await ingestEvents(ctx.db, { userId: busy }, [event(), event(), event(), event()], now);
      expect(first.accepted).toBe(3);
      expect(second.accepted).toBe(2);
      expect(second.rejected).toEqual([
        { index: 2, field: null, code: "rate_limited" },
        { index: 3, field: null, code: "rate_limited" },
      ]);
      const anonId = randomUUID();
      const anon = await ingestEvents(
        ctx.db,
        { anonId },
        Array.from({ length: 7 }, () => event()),
        now,
      );
      expect(anon.accepted).toBe(5);
      expect(anon.rejected.map((r) => r.code)).toEqual(["rate_limited", "rate_limited"]);
      // A new minute, a new allowance.
      const later = await ingestEvents(ctx.db, { userId: busy }, [event()], new Date(now.getTime() + 60_000));
      expect(later.accepted).toBe(1);
    } finally {
      vi.unstubAllEnvs();
      vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    }
  });

  it("takes a shop visitor's events by anonId without a token, and asks for one of the two", async () => {
    const anonId = randomUUID();
    const res = await send(
      { anonId, events: [event({ kind: "add_to_cart", targetType: "product", targetId: "p1" })] },
      {},
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    expect(await count("anon_id = $1 AND user_id IS NULL AND kind = 'add_to_cart'", [anonId])).toBe(1);
    const neither = await send({ events: [event()] }, {});
    expect(neither.status).toBe(400);
    expect((await neither.json()).error).toMatchObject({ code: "invalid_input", field: "anonId" });
  });

  it("refuses a body that is not a batch of 1-100 events with a 400 naming the field", async () => {
    for (const body of [{}, { events: [] }, { events: Array.from({ length: 101 }, () => event()) }, { events: "x" }]) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect((await res.json()).error.field).toBe("events");
    }
  });

  it("keeps the last ten actions, the 7-day dwell average and per-target counts up to date as events arrive", async () => {
    const fan = await createUser(ctx.db);
    const t0 = Date.now() - 60_000;
    const batch = Array.from({ length: 12 }, (_, i) =>
      event({
        kind: i % 2 ? "view" : "dwell",
        targetId: i < 6 ? "alex" : "sam",
        dwellMs: i % 2 ? undefined : 1000 * (i + 1),
        clientTime: new Date(t0 + i * 1000).toISOString(),
      }),
    );
    await ingestEvents(ctx.db, { userId: fan }, batch.slice(0, 7));
    await ingestEvents(ctx.db, { userId: fan }, batch.slice(7));
    const f = await readBehaviourFeatures(ctx.db, fan);
    expect(f.lastActions).toHaveLength(10);
    expect(f.lastActions[0]).toMatchObject({ targetId: "sam", at: batch[11].clientTime });
    expect(f.lastActions[9].at).toBe(batch[2].clientTime);
    // Dwell on events 0, 2, …, 10: 1, 3, 5, 7, 9, 11 seconds.
    expect(f.dwellAvg7dMs).toBe(6000);
    const alexDwell = f.targetCounts.find((c) => c.targetId === "alex" && c.kind === "dwell");
    expect(alexDwell?.n).toBe(3);
  });

  it("merges a visitor's anonymous events into the person at sign-in, once, and expires the unmerged after 30 days", async () => {
    const anonId = randomUUID();
    const browsed = [
      event({ kind: "view", targetType: "product", targetId: "p7", dwellMs: undefined }),
      event({ kind: "add_to_cart", targetType: "product", targetId: "p7", dwellMs: undefined }),
    ];
    await ingestEvents(ctx.db, { anonId }, browsed);
    const buyer = await createUser(ctx.db);
    const res = await send(
      { anonId, events: [event({ kind: "purchase", targetType: "product", targetId: "p7", dwellMs: undefined })] },
      { authorization: `Bearer ${await signAccessToken(buyer)}` },
    );
    expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await count("user_id = $1 AND target_id = 'p7'", [buyer])).toBe(3);
    expect(await count("anon_id = $1", [anonId])).toBe(0);
    const features = await readBehaviourFeatures(ctx.db, buyer);
    expect(features.lastActions.map((a) => a.kind).sort()).toEqual(["add_to_cart", "purchase", "view"]);
    // The anonymous copy's retry is now the person's duplicate.
    expect(await ingestEvents(ctx.db, { userId: buyer, mergeAnonId: anonId }, browsed)).toMatchObject({
      accepted: 0,
      duplicates: 2,
    });

    const stale = randomUUID();
    await ingestEvents(
      ctx.db,
      { anonId: stale },
      [event({ clientTime: new Date(Date.now() - 31 * 86400_000).toISOString() })],
      new Date(Date.now() - 31 * 86400_000 + 1000),
    );
    await ingestEvents(ctx.db, { anonId: stale }, [event()]);
    await ctx.db.query("SELECT events_maintain()");
    expect(await count("anon_id = $1", [stale])).toBe(1);
  });

  it("drops a visitor's anonymous events when they sign in with behaviour off", async () => {
    const anonId = randomUUID();
    await ingestEvents(ctx.db, { anonId }, [event(), event()]);
    const quiet = await createUser(ctx.db);
    await updatePrivacySettings(ctx.db, quiet, { behaviour: false });
    expect(await ingestEvents(ctx.db, { userId: quiet, mergeAnonId: anonId }, [event()])).toMatchObject({
      stored: false,
    });
    expect(await count("(anon_id = $1 OR user_id = $2) AND event_id IS NOT NULL", [anonId, quiet])).toBe(0);
  });
});
