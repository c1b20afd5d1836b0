import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as hometownRoute } from "../../app/api/v1/scenarios/hometown/route";
import { GET as statsRoute } from "../../app/api/v1/scenarios/hometown/stats/route";
import { DELETE as unfollowRoute } from "../../app/api/v2/follows/[creatorId]/route";
import { GET as followsRoute, POST as followRoute } from "../../app/api/v2/follows/route";
import { PUT as prefsRoute } from "../../app/api/v2/profile/stream-preferences/route";
import { PUT as streamRoute } from "../../app/api/v2/streams/[id]/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { runBatch } from "../../lib/jobs/batch";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { deleteUserData } from "../../lib/privacy/delete";
import { exportUserData } from "../../lib/privacy/export";
import { BASE_WEIGHTS } from "../../lib/streams/hometown-score";
import { NEARBY_SQL } from "../../lib/streams/hometown";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { callRoute, type RouteHandler } from "../helpers/route-call";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "streams-test-secret-of-sufficient-length";
interface Streamed {
  stream_id: string;
  city: string;
  category: string;
  score: number;
  distance_km: number | null;
  reasons: string[];
}

describeEachDriver("live streams and HOMETOWN", (ctx) => {
  let restore: () => void;
  const people: Record<string, { id: string; token: string }> = {};
  const ids: Record<string, string> = {};

  const call = (handler: RouteHandler, who: string | null, method: string, body?: unknown, params = {}) =>
    callRoute(handler, who ? people[who].token : null, method, body, params);
  const putStream = (who: string, name: string, body: Record<string, unknown>) => {
    ids[name] ??= randomUUID();
    return call(streamRoute, who, "PUT", body, { id: ids[name] });
  };
  const near = async (who = "viewer", max = 20) => {
    const res = await call(hometownRoute, who, "POST", { user_id: people[who].id, max_results: max });
    expect(res.status).toBe(200);
    return res.body.streams as Streamed[];
  };
  const named = (list: Streamed[]) => list.map((s) => Object.entries(ids).find(([, id]) => id === s.stream_id)?.[0]);

  const base = { language: "es", live: true, qualityScore: 0.6, viewerCount: 10 };
  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    for (const name of ["viewer", "madrid", "toledo", "tokyo", "other"]) {
      const id = await createUser(ctx.db, { displayName: name });
      people[name] = { id, token: await signAccessToken(id) };
    }
    // The viewer lives in Madrid and speaks Spanish (the profile's stored, rounded point).
    await ctx.db.query(
      `UPDATE profiles SET lat = 40.42, lon = -3.70, city = 'Madrid, ES', locale = 'es' WHERE user_id = $1`,
      [people.viewer.id],
    );
    expect(
      (await putStream("madrid", "jazz", { ...base, title: "Jazz", category: "music", city: "Madrid, ES" })).body,
    ).toMatchObject({ city: "Madrid, ES", live: true });
    await putStream("madrid", "late", { ...base, title: "Late", category: "talk", city: "Madrid, ES", mature: true });
    await putStream("madrid", "over", { ...base, title: "Over", category: "music", city: "Madrid, ES", live: false });
    await putStream("toledo", "toledo", {
      ...base,
      title: "Cocina",
      category: "cooking",
      city: "Toledo, ES",
      qualityScore: 0.9,
    });
    await putStream("tokyo", "tokyo", {
      ...base,
      title: "Ramen",
      category: "cooking",
      city: "Tokyo, JP",
      language: "ja",
      qualityScore: 1,
      viewerCount: 5000,
    });
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("ranks live streams by proximity × local strength plus the base terms, each term a reason", async () => {
    await call(prefsRoute, "viewer", "PUT", { categories: ["Cooking"], localStrength: 0.8 });
    const list = await near();
    // Only live, non-mature streams; the ended and the mature one are not there.
    expect(named(list).sort()).toEqual(["jazz", "tokyo", "toledo"]);
    for (const s of list) {
      const { distance_km: d } = s;
      expect(d).not.toBeNull();
      const quality = s.stream_id === ids.toledo ? 0.9 : s.stream_id === ids.tokyo ? 1 : 0.6;
      const expected =
        (1 / (1 + d!)) * 0.8 +
        BASE_WEIGHTS.quality * quality +
        (s.stream_id === ids.tokyo ? 0 : BASE_WEIGHTS.language) +
        (s.category === "cooking" ? BASE_WEIGHTS.category : 0);
      // distance_km is rounded to 0.1 km in the answer.
      expect(s.score).toBeCloseTo(expected, 1);
      expect(s.reasons[0]).toMatch(/^Near you: .*km away \(proximity .* × local preference 0\.8/);
      expect(s.reasons.some((r) => r.startsWith("Stream quality"))).toBe(true);
      expect(
        s.reasons.some((r) => r.startsWith("In your language")),
        s.city,
      ).toBe(s.stream_id !== ids.tokyo);
      expect(s.reasons.some((r) => r.startsWith("A category you like: cooking"))).toBe(s.category === "cooking");
    }
    const jazz = list.find((s) => s.stream_id === ids.jazz)!;
    expect(jazz.distance_km).toBeLessThan(5);
    expect(list.find((s) => s.stream_id === ids.toledo)!.distance_km).toBeGreaterThan(50);
    expect(list.find((s) => s.stream_id === ids.tokyo)!.distance_km).toBeGreaterThan(10_000);
    expect(named(list)[0]).toBe("jazz"); // in town beats better streams elsewhere at strength 0.8
    expect(named(await near("viewer", 1))).toEqual(["jazz"]);

    // With nearby worth nothing, the base terms decide: Toledo's quality and category win.
    await call(prefsRoute, "viewer", "PUT", { localStrength: 0 });
    expect(named(await near())[0]).toBe("toledo");
    // Mature streams only for viewers who allowed them; ending a stream takes it off.
    await call(prefsRoute, "viewer", "PUT", { matureAllowed: true, localStrength: 0.8 });
    await putStream("toledo", "toledo", {
      ...base,
      title: "Cocina",
      category: "cooking",
      city: "Toledo, ES",
      live: false,
    });
    expect(named(await near()).sort()).toEqual(["jazz", "late", "tokyo"]);
  });

  it("uses no location at all with the location switch off, and says so in every reason", async () => {
    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'location', false)`, [
      people.viewer.id,
    ]);
    const list = await near();
    // Popular in the viewer's language: the Japanese stream is not a candidate without a location.
    expect(named(list).sort()).toEqual(["jazz", "late"]);
    for (const s of list) {
      expect(s.distance_km).toBeNull();
      expect(s.reasons[0]).toMatch(/^Location is off: popular in your language \(es\)/);
      expect(s.reasons.join(" ")).not.toMatch(/km|Near you/);
    }
    await ctx.db.query(`DELETE FROM privacy_settings WHERE user_id = $1`, [people.viewer.id]);
  });

  it("answers 403 for someone else's user_id or stream, and public stats", async () => {
    const res = await call(hometownRoute, "viewer", "POST", { user_id: people.other.id, max_results: 5 });
    expect(res.status).toBe(403);
    const stolen = await putStream("other", "jazz", {
      title: "Mine",
      category: "music",
      language: "es",
      city: "Madrid",
      live: true,
    });
    expect(stolen.status).toBe(403);
    const stats = await call(statsRoute, null, "GET");
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ total_streams: 5, live_streams: 3, cities_covered: 2 });
    expect((stats.body.top_cities as { city: string }[])[0]).toEqual({ city: "Madrid, ES", live_streams: 2 });
  });

  it("follows creators, exports follows, preferences and streams, and deletes them with the account", async () => {
    expect((await call(followRoute, "viewer", "POST", { creatorId: people.madrid.id })).status).toBe(201);
    expect((await call(followRoute, "viewer", "POST", { creatorId: people.madrid.id })).status).toBe(201);
    expect((await call(followRoute, "viewer", "POST", { creatorId: people.viewer.id })).status).toBe(400);
    expect((await call(followRoute, "viewer", "POST", { creatorId: randomUUID() })).status).toBe(404);
    await call(followRoute, "viewer", "POST", { creatorId: people.tokyo.id });
    await call(unfollowRoute, "viewer", "DELETE", undefined, { creatorId: people.tokyo.id });
    const list = await call(followsRoute, "viewer", "GET");
    expect((list.body.follows as { creatorId: string }[]).map((f) => f.creatorId)).toEqual([people.madrid.id]);

    let text = "";
    for await (const part of exportUserData(ctx.db, people.viewer.id)) text += part;
    const exported = JSON.parse(text) as {
      tables: Record<string, Record<string, unknown>[]>;
      readme: { tables: Record<string, string> };
    };
    expect(exported.tables.follows).toHaveLength(1);
    expect(exported.tables.stream_preferences[0]).toMatchObject({ mature_allowed: true, categories: ["cooking"] });
    expect(exported.readme.tables.follows).toMatch(/Creators you follow/);
    text = "";
    for await (const part of exportUserData(ctx.db, people.madrid.id)) text += part;
    // A creator's export holds their streams, not who follows them.
    const creator = JSON.parse(text) as { tables: Record<string, unknown[]> };
    expect(creator.tables.streams).toHaveLength(3);
    expect(creator.tables.follows).toEqual([]);

    await deleteUserData(ctx.db, people.viewer.id);
    const left = await ctx.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM follows WHERE user_id = $1) + (SELECT count(*) FROM stream_preferences WHERE user_id = $1) AS n`,
      [people.viewer.id],
    );
    expect(Number(left[0].n)).toBe(0);
  });

  it("finds nearby streams through the GiST index, not a scan of every stream", async () => {
    await ctx.db.query(
      `INSERT INTO streams (creator_id, title, category, language, city, lat, lon, quality_score, ended_at)
       SELECT $1, 'bulk', 'c' || (i % 30), 'de', 'Bulk', (i % 140) - 60 + 0.37, (i % 357) - 178 + 0.11, (i % 97) / 97.0,
              CASE WHEN i % 3 = 0 THEN now() END
       FROM generate_series(1, 4000) i`,
      [people.other.id],
    );
    await ctx.db.query("ANALYZE streams");
    const plan = await ctx.db.query<Record<string, string>>(`EXPLAIN ${NEARBY_SQL}`, [
      people.madrid.id,
      false,
      200,
      "es",
      40.4,
      -3.7,
      ["music"],
    ]);
    const text = plan.map((r) => Object.values(r)[0]).join("\n");
    expect(text).toMatch(/Index Scan using streams_live_earth_idx/);
    expect(text).not.toMatch(/Seq Scan on streams/);
  });

  it("adds the learned term once watch events train it: watched kinds of streams move up, the reason names it", async () => {
    for (const name of ["learner", "w1", "w2", "w3", "w4", "w5", "w6"]) {
      const id = await createUser(ctx.db, { displayName: name });
      people[name] = { id, token: await signAccessToken(id) };
    }
    await ctx.db.query(
      `UPDATE profiles SET lat = 40.42, lon = -3.70, city = 'Madrid, ES', locale = 'es' WHERE user_id = $1`,
      [people.learner.id],
    );
    await call(prefsRoute, "learner", "PUT", { categories: [], localStrength: 0 });
    const art = { language: "es", live: true, category: "art", city: "Madrid, ES" };
    await putStream("madrid", "calm", { ...art, title: "Calm", qualityScore: 0.7, viewerCount: 3 });
    await putStream("madrid", "crowd", { ...art, title: "Crowd", qualityScore: 0.6, viewerCount: 5000 });
    const order = async () => named(await near("learner", 50)).filter((n) => n === "calm" || n === "crowd");
    const before = await near("learner", 50);
    expect(await order()).toEqual(["calm", "crowd"]);
    expect(before.every((s) => s.reasons.includes("Learned term off: no model trained from watch events yet"))).toBe(
      true,
    );
    // Six people watch big (ended) streams for five minutes and skip small ones after five seconds.
    const watches: [string, string, number][] = [];
    for (const [i, viewers] of [4000, 6000, 8000, 2, 4, 6].entries()) {
      await putStream("tokyo", `past${i}`, {
        ...art,
        title: `Past ${i}`,
        live: false,
        qualityScore: 0.5,
        viewerCount: viewers,
      });
      for (const w of ["w1", "w2", "w3", "w4", "w5", "w6"])
        watches.push([w, `past${i}`, viewers > 100 ? 300_000 : 5_000]);
    }
    for (const [w, stream, ms] of watches)
      await ctx.db.query(
        `INSERT INTO events (user_id, event_id, kind, target_type, target_id, value) VALUES ($1, $2, 'watch', 'stream', $3, $4)`,
        [people[w].id, randomUUID(), ids[stream], ms],
      );
    await runBatch(ctx.db, batchJob("stream-feeds", defaultJobContext()));
    expect(await order()).toEqual(["crowd", "calm"]);
    const crowd = (await near("learner", 50)).find((s) => s.stream_id === ids.crowd)!;
    expect(crowd.reasons.at(-1)).toMatch(/^Learned from watches \(hometown-lr-\d+T\d+\): \+0\.\d+$/);
  });
});
