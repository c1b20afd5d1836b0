import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { SpotifyConfig } from "../../lib/connectors/spotify/config";
import { completeSpotifyAuth, startSpotifyAuth } from "../../lib/connectors/spotify/oauth";
import { syncSpotifyUser } from "../../lib/connectors/spotify/sync";
import { parseKeyRing } from "../../lib/crypto/secret-box";
import { seedDemo } from "../../lib/demo/seed";
import { explainCandidate } from "../../lib/discovery/why";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { reembedUser } from "../../lib/job-registry/reembed-user";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { runBatch } from "../../lib/jobs/batch";
import { enqueueJob } from "../../lib/jobs/enqueue";
import { drainQueue } from "../../lib/jobs/worker";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { describeEachDriver } from "../helpers/drivers";
import { startFakeSpotify } from "../helpers/fake-spotify";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

/**
 * The `connectors` switch, as the dashboard promises it: syncs stop at once and queued ones are
 * dropped, the nightly run skips the person, and what a connector brought in leaves taste and
 * discovery until the switch is on again; titles from file imports and manual entries stay.
 */
describeEachDriver("switching the connectors signal off and on", (ctx) => {
  const jobs = defaultJobContext();
  const ring = `k1:${randomBytes(32).toString("base64")}`;
  let spotify: Awaited<ReturnType<typeof startFakeSpotify>>;
  let config: SpotifyConfig;
  let person = "";
  let friend = "";
  let original: Awaited<ReturnType<typeof derived>>;
  let sharedOn = 0;

  /** What the browser does: follow the authorize URL and land on our callback. */
  async function connect(userId: string) {
    const res = await fetch(await startSpotifyAuth(ctx.db, userId, config, parseKeyRing(ring)), { redirect: "manual" });
    const back = new URL(res.headers.get("location")!);
    const query = { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! };
    await completeSpotifyAuth(ctx.db, query, config, parseKeyRing(ring));
  }
  const queuedSyncs = async (userId: string) =>
    (
      await ctx.db.query(
        "SELECT 1 FROM jobs WHERE kind = 'connector-sync' AND status = 'queued' AND payload ->> 'userId' = $1",
        [userId],
      )
    ).length;
  const favoriteRows = async (userId: string) =>
    ctx.db.query<{ media_id: string; source: string }>(
      "SELECT media_id, source FROM favorite_items WHERE user_id = $1 ORDER BY media_id, source",
      [userId],
    );
  /** Media the person holds only through a connector. */
  const connectorOnly = async (userId: string) =>
    (
      await ctx.db.query<{ media_id: string }>(
        `SELECT media_id FROM favorite_items WHERE user_id = $1 GROUP BY media_id
         HAVING bool_and(source = 'spotify') ORDER BY media_id`,
        [userId],
      )
    ).map((r) => r.media_id);
  const derived = async (userId: string) => {
    const [row] = await ctx.db.query<{ taste: string | null; profile: string | null; traits: string[] | null }>(
      `SELECT (SELECT taste::text FROM user_taste_vectors WHERE user_id = $1) AS taste,
              (SELECT embedding::text FROM user_embeddings WHERE user_id = $1) AS profile,
              (SELECT source_media FROM user_traits WHERE user_id = $1) AS traits`,
      [userId],
    );
    return row;
  };
  /** What the person's derived data would be had they never connected: computed and rolled back. */
  const derivedWithoutConnectors = async (userId: string) => {
    let result: Awaited<ReturnType<typeof derived>> | undefined;
    const rollback = new Error("rollback");
    await ctx.db
      .transaction(async (tx) => {
        await tx.query("DELETE FROM favorite_items WHERE user_id = $1 AND source = 'spotify'", [userId]);
        await tx.query("DELETE FROM user_traits WHERE user_id = $1", [userId]);
        await reembedUser(tx, jobs, userId);
        const [row] = await tx.query<{ taste: string | null; profile: string | null; traits: string[] | null }>(
          `SELECT (SELECT taste::text FROM user_taste_vectors WHERE user_id = $1) AS taste,
                  (SELECT embedding::text FROM user_embeddings WHERE user_id = $1) AS profile,
                  (SELECT source_media FROM user_traits WHERE user_id = $1) AS traits`,
          [userId],
        );
        result = row;
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });
    return result!;
  };
  /** Largest coordinate difference of two stored vectors (float rounding differs by path). */
  const distance = (a: string | null, b: string | null) => {
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    const [x, y] = [JSON.parse(a!) as number[], JSON.parse(b!) as number[]];
    expect(x.length).toBe(y.length);
    return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
  };
  const sharedWith = async (viewer: string, target: string) =>
    (await explainCandidate(ctx.db, viewer, target)).entry.sharedFavorites.count;

  beforeAll(async () => {
    spotify = await startFakeSpotify();
    config = {
      clientId: "mesh-test",
      redirectUri: "http://127.0.0.1:3000/api/v2/favorites/import/spotify/callback",
      accountsUrl: spotify.url,
      apiUrl: spotify.url,
    };
    // The queue handler reads its configuration and keys from the environment.
    vi.stubEnv("SPOTIFY_CLIENT_ID", config.clientId);
    vi.stubEnv("SPOTIFY_ACCOUNTS_URL", spotify.url);
    vi.stubEnv("SPOTIFY_API_URL", spotify.url);
    vi.stubEnv("MESH_ENCRYPTION_KEYS", ring);
    await seedDemo(ctx.db, { users: 30, seed: 5 });
    const people = await ctx.db.query<{ user_id: string }>(
      `SELECT user_id FROM favorite_items GROUP BY user_id HAVING count(*) >= 8 ORDER BY user_id LIMIT 2`,
    );
    [person, friend] = people.map((p) => p.user_id);
    // The person connects Spotify and their library syncs in; the friend typed in the same music.
    await connect(person);
    await syncSpotifyUser(ctx.db, person, config, parseKeyRing(ring));
    await ctx.db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating)
       SELECT $2, media_id, 'manual', 4.5 FROM favorite_items WHERE user_id = $1 AND source = 'spotify'
       ON CONFLICT DO NOTHING`,
      [person, friend],
    );
    for (const name of ["embeddings", "taste-vectors", "profile-embeddings", "traits"] as const) {
      await runBatch(ctx.db, batchJob(name, jobs));
    }
    await drainQueue(ctx.db, allJobHandlers(jobs));
    expect((await connectorOnly(person)).length, "the sync brought titles only Spotify knows of").toBeGreaterThan(3);
    original = await derived(person);
    sharedOn = await sharedWith(friend, person);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await spotify.close();
  });

  it("drops queued syncs at once, the nightly run skips the person, and a sync already claimed does not run", async () => {
    const other = friend;
    await connect(other);
    await enqueueJob(
      ctx.db,
      "connector-sync",
      { userId: person, service: "spotify" },
      { dedupeKey: `spotify:${person}` },
    );
    expect(await queuedSyncs(person)).toBe(1);
    const before = await favoriteRows(person);

    await updatePrivacySettings(ctx.db, person, { connectors: false });
    expect(await queuedSyncs(person)).toBe(0);
    // Discovery stops counting the synced titles on the next request, before any job has run.
    expect(await sharedWith(friend, person)).toBe(sharedOn - (await connectorOnly(person)).length);
    // The other connected person's queued sync is theirs to keep.
    expect(await queuedSyncs(other)).toBe(1);

    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT public.enqueue_spotify_syncs() AS n");
    expect(n).toBe(0);
    expect(await queuedSyncs(person)).toBe(0);

    // A job claimed just before the switch (or queued by a late OAuth callback) completes without
    // asking Spotify for anything or touching the favorites.
    await ctx.db.query("DELETE FROM jobs WHERE kind = 'connector-sync'");
    await enqueueJob(ctx.db, "connector-sync", { userId: person, service: "spotify" });
    const requests = spotify.requests.length;
    const outcome = await drainQueue(ctx.db, { "connector-sync": allJobHandlers(jobs)["connector-sync"] });
    expect(outcome).toEqual({ done: 1, retried: 0, dead: 0 });
    expect(spotify.requests.length).toBe(requests);
    expect(await favoriteRows(person)).toEqual(before);
  });

  it("takes connector favorites out of taste, traits, profile and shared favorites; file imports and manual entries stay", async () => {
    const fromSpotify = await connectorOnly(person);
    const withConnectors = original;
    const expected = await derivedWithoutConnectors(person);
    expect(expected.taste, "the person keeps a taste of their own favorites").not.toBeNull();
    expect(distance(withConnectors.taste, expected.taste)).toBeGreaterThan(1e-3);

    await drainQueue(ctx.db, allJobHandlers(jobs));
    const after = await derived(person);
    expect(distance(after.taste, expected.taste)).toBeLessThan(1e-5);
    expect(distance(after.profile, expected.profile)).toBeLessThan(1e-5);
    expect(after.traits).toEqual(expected.traits);
    expect(after.traits!.filter((m) => fromSpotify.includes(m))).toEqual([]);
    // Shared favorites in discovery, both ways, no longer count what came from Spotify...
    expect(await sharedWith(friend, person)).toBe(sharedOn - fromSpotify.length);
    expect(await sharedWith(person, friend)).toBe(sharedOn - fromSpotify.length);
    // ...while the titles themselves stay in the person's favorites until they remove them.
    expect(await connectorOnly(person)).toEqual(fromSpotify);
  });

  it("brings them back when switched on again", async () => {
    const sharedOff = await sharedWith(friend, person);
    await updatePrivacySettings(ctx.db, person, { connectors: true });
    expect(await drainQueue(ctx.db, allJobHandlers(jobs))).toEqual({ done: 1, retried: 0, dead: 0 });
    const after = await derived(person);
    expect(distance(after.taste, original.taste)).toBeLessThan(1e-5);
    expect(distance(after.profile, original.profile)).toBeLessThan(1e-5);
    expect(after.traits).toEqual(expect.arrayContaining(await connectorOnly(person)));
    expect(sharedOff).toBeLessThan(sharedOn);
    expect(await sharedWith(friend, person)).toBe(sharedOn);
    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT public.enqueue_spotify_syncs() AS n");
    expect(n).toBe(2);
  });
});
