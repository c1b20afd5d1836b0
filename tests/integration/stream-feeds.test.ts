import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as categoryFeedRoute } from "../../app/api/v1/scenarios/category_feed/route";
import { POST as homeFeedRoute } from "../../app/api/v1/scenarios/home_feed/route";
import { POST as followRoute } from "../../app/api/v2/follows/route";
import { PUT as prefsRoute } from "../../app/api/v2/profile/stream-preferences/route";
import { PUT as streamRoute } from "../../app/api/v2/streams/[id]/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { runBatch } from "../../lib/jobs/batch";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { PER_CREATOR_CAP } from "../../lib/streams/feed/select";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { callRoute, type RouteHandler } from "../helpers/route-call";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "stream-feeds-test-secret-of-sufficient-length";
interface Feed {
  request_id: string;
  model_version: string;
  streams: { stream_id: string; score: number; reason: string }[];
}

describeEachDriver("home and category feeds", (ctx) => {
  let restore: () => void;
  const people: Record<string, { id: string; token: string }> = {};
  const ids: Record<string, string> = {};

  const call = (handler: RouteHandler, who: string | null, method: string, body?: unknown, params = {}) =>
    callRoute(handler, who ? people[who].token : null, method, body, params);
  const putStream = async (who: string, name: string, body: Record<string, unknown>) => {
    ids[name] ??= randomUUID();
    const res = await call(streamRoute, who, "PUT", { ...base, ...body }, { id: ids[name] });
    expect(res.status).toBe(200);
  };
  const home = async (who: string) => {
    const res = await call(homeFeedRoute, who, "POST", { user_id: people[who].id, ctx_device: "web" });
    expect(res.status).toBe(200);
    return res.body as unknown as Feed;
  };
  const inCategory = async (who: string, category: string) => {
    const res = await call(categoryFeedRoute, who, "POST", { user_id: people[who].id, category_id: category });
    expect(res.status).toBe(200);
    return res.body as unknown as Feed;
  };
  const named = (feed: Feed) => feed.streams.map((s) => Object.entries(ids).find(([, id]) => id === s.stream_id)?.[0]);

  const base = { language: "en", city: "London, GB", live: true, qualityScore: 0.5, viewerCount: 10 };
  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    for (const name of ["viewer", "trainer", "fresh", "fav", "busy", "big", "small", "mid", "low"]) {
      const id = await createUser(ctx.db, { displayName: name });
      people[name] = { id, token: await signAccessToken(id) };
    }
    await ctx.db.query("UPDATE profiles SET locale = 'en'");
    // The viewer likes music; follows "fav", who is live in art with few viewers (and has an ended stream).
    expect((await call(prefsRoute, "viewer", "PUT", { categories: ["music"] })).status).toBe(200);
    expect((await call(followRoute, "viewer", "POST", { creatorId: people.fav.id })).status).toBe(201);
    await putStream("fav", "favLive", { title: "Quiet art", category: "art", viewerCount: 1 });
    await putStream("fav", "favEnded", { title: "Old art", category: "art", live: false });
    // "busy" has four live music streams, the most watched of all; one mature music stream.
    for (const n of [1, 2, 3, 4])
      await putStream("busy", `busy${n}`, { title: `Busy ${n}`, category: "music", viewerCount: 900 + n });
    await putStream("mid", "mature", { title: "Late show", category: "music", viewerCount: 5000, mature: true });
    // Gaming: one huge stream and three small ones, by different creators (the ranker test).
    await putStream("big", "gBig", { title: "Big", category: "gaming", viewerCount: 5000 });
    await putStream("small", "gSmall", { title: "Small", category: "gaming", viewerCount: 5 });
    await putStream("mid", "gMid", { title: "Mid", category: "gaming", viewerCount: 300 });
    await putStream("low", "gLow", { title: "Low", category: "gaming", viewerCount: 50 });
  });
  afterAll(() => {
    restore?.();
    vi.unstubAllEnvs();
  });

  it("holds the contract: 401 without a token, 403 for someone else, 400 naming the field, the shape", async () => {
    expect((await call(homeFeedRoute, null, "POST", { user_id: people.viewer.id })).status).toBe(401);
    expect((await call(homeFeedRoute, "viewer", "POST", { user_id: people.fresh.id })).status).toBe(403);
    const missing = await call(categoryFeedRoute, "viewer", "POST", { user_id: people.viewer.id });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("category_id");
    const badTime = await call(homeFeedRoute, "viewer", "POST", { user_id: people.viewer.id, ctx_timestamp: "soon" });
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(badTime.body)).toContain("ctx_timestamp");
    const feed = await home("viewer");
    expect(feed.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(feed.model_version).toBe("feed-default-v1");
    expect(feed.streams[0]).toEqual({
      stream_id: expect.any(String),
      creator_id: expect.any(String),
      title: expect.any(String),
      category: expect.any(String),
      viewer_count: expect.any(Number),
      score: expect.any(Number),
      reason: expect.any(String),
    });
    expect(feed.streams[0].reason).toContain("default ranker");
  });

  it("unites followed creators' live streams with trending ones; never ended or (unless allowed) mature streams", async () => {
    const feed = await home("viewer");
    const shown = named(feed);
    expect(shown).toContain("favLive");
    expect(feed.streams[shown.indexOf("favLive")].reason).toMatch(/^From a creator you follow/);
    expect(shown).not.toContain("favEnded");
    expect(shown).not.toContain("mature");
    expect(shown.filter((n) => n?.startsWith("busy"))).toHaveLength(PER_CREATOR_CAP);
    expect((await call(prefsRoute, "viewer", "PUT", { matureAllowed: true })).status).toBe(200);
    expect(named(await home("viewer"))).toContain("mature");
    const music = named(await inCategory("viewer", "music"));
    expect(music).not.toContain("favLive");
    expect(music.filter((n) => n?.startsWith("busy"))).toHaveLength(PER_CREATOR_CAP);
  });

  it("trains the ranker from watch time: a small stream watched long moves above the big one for everyone", async () => {
    const order = async () => named(await inCategory("fresh", "gaming"));
    const before = await order();
    expect(before.indexOf("gBig")).toBeLessThan(before.indexOf("gSmall"));
    // The trainer is shown the gaming feed ten times and each time watches the small stream for
    // ten minutes, the rest not at all (watch events carry the request id back).
    for (let i = 0; i < 10; i++) {
      const feed = await inCategory("trainer", "gaming");
      await ctx.db.query(
        `INSERT INTO events (user_id, event_id, kind, target_type, target_id, value, payload)
         VALUES ($1, $2, 'watch', 'stream', $3, 600000, $4::text::jsonb)`,
        [people.trainer.id, randomUUID(), ids.gSmall, JSON.stringify({ context: { requestId: feed.request_id } })],
      );
    }
    const run = await runBatch(ctx.db, batchJob("stream-feeds", defaultJobContext()));
    expect(run.status).toBe("done");
    const after = await inCategory("fresh", "gaming");
    expect(after.model_version).toMatch(/^feed-pairwise-/);
    expect(after.streams[0].reason).not.toContain("default ranker");
    const shown = named(after);
    expect(shown.indexOf("gSmall")).toBeLessThan(shown.indexOf("gBig"));
  });

  it("serves the home feed again from its cache under a fresh request id; a follow or a stream's end rebuilds it", async () => {
    const cachedFlags = async (feed: Feed) =>
      (
        await ctx.db.query<{ cached: string }>(
          `SELECT DISTINCT payload ->> 'cached' AS cached FROM events WHERE kind = 'impression' AND payload ->> 'requestId' = $1`,
          [feed.request_id],
        )
      ).map((r) => r.cached);
    const first = await home("fresh");
    const again = await home("fresh");
    expect(again.request_id).not.toBe(first.request_id);
    expect(again.streams).toEqual(first.streams);
    expect(await cachedFlags(first)).toEqual(["false"]);
    expect(await cachedFlags(again)).toEqual(["true"]);
    // A follow changes the feed at once: built afresh, the followed creator's stream says so.
    expect((await call(followRoute, "fresh", "POST", { creatorId: people.low.id })).status).toBe(201);
    const followed = await home("fresh");
    expect(await cachedFlags(followed)).toEqual(["false"]);
    expect(followed.streams.find((s) => s.stream_id === ids.gLow)?.reason).toMatch(/^From a creator you follow/);
    // A shown stream that ends is never served from the cache.
    expect(await cachedFlags(await home("fresh"))).toEqual(["true"]);
    await putStream("low", "gLow", { title: "Low", category: "gaming", viewerCount: 50, live: false });
    const ended = await home("fresh");
    expect(await cachedFlags(ended)).toEqual(["false"]);
    expect(named(ended)).not.toContain("gLow");
  });
});
