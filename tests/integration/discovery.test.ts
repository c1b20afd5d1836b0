import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getCandidates } from "../../app/api/v2/discovery/candidates/route";
import { POST as postFeedback } from "../../app/api/v2/discovery/feedback/route";
import { GET as getWhy } from "../../app/api/v2/discovery/why/[targetId]/route";
import { PUT as putPrivacy } from "../../app/api/v2/privacy/settings/route";
import { POST as postBlock } from "../../app/api/v2/blocks/route";
import { DELETE as deleteBlock } from "../../app/api/v2/blocks/[userId]/route";
import { candidatesResponse, whyResponse } from "../../api/discovery";
import { signAccessToken } from "../../lib/auth/tokens";
import { closeDb, getDb } from "../../lib/runtime/database";
import type { Db } from "../../lib/db";
import { openPostgres } from "../../lib/db/postgres";
import { toVectorParam } from "../../lib/db/vector";
import { computeFeatures } from "../../lib/discovery/features";
import { buildSlate, toSlateEntry } from "../../lib/discovery/pipeline";
import { loadSharedTitles, withSharedTitles } from "../../lib/discovery/shared-titles";
import { loadDiversityVectors } from "../../lib/discovery/vectors";
import { rankCandidates } from "../../lib/discovery/ranker/model";
import { retrieveCandidates } from "../../lib/discovery/retrieve";
import { invalidateAllSlates, invalidateSlates, storeSlate } from "../../lib/discovery/slate-cache";
import { loadViewer } from "../../lib/discovery/viewer";
import { deleteUserData } from "../../lib/privacy/delete";
import { createUser } from "../../lib/users/create";
import { activeDrivers } from "../helpers/drivers";
import { createTestDatabase } from "../helpers/pg-admin";

/** A 256-d vector pointing mostly along `axis`, nudged by `jitter` along axis+1. */
function vec(axis: number, jitter = 0): number[] {
  const v = new Array(256).fill(0);
  v[axis] = 1;
  v[(axis + 1) % 256] = jitter;
  return v;
}

interface Person {
  name: string;
  taste?: number[];
  embedding?: number[];
  hobbies?: string[];
  traits?: unknown;
  discoverable?: boolean;
  privacyOff?: string[];
  harassment?: number;
  favorites?: string[];
  /** Where they live (default: central Madrid); null for no location at all. */
  at?: [number, number] | null;
}

const MADRID: [number, number] = [40.4, -3.7];
const BLADE_RUNNER_COVER = "https://covers.example.org/blade-runner.jpg";

async function addPerson(db: Db, p: Person): Promise<string> {
  const id = await createUser(db, { displayName: p.name });
  const at = p.at === undefined ? MADRID : p.at;
  await db.query(`UPDATE profiles SET hobbies = $2, discoverable = $3, lat = $4, lon = $5 WHERE user_id = $1`, [
    id,
    p.hobbies ?? [],
    p.discoverable ?? true,
    at?.[0] ?? null,
    at?.[1] ?? null,
  ]);
  if (p.taste) {
    await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')`, [
      id,
      toVectorParam(p.taste),
    ]);
  }
  if (p.embedding) {
    await db.query(`INSERT INTO user_embeddings (user_id, embedding, model_version) VALUES ($1, $2::vector, 'test')`, [
      id,
      toVectorParam(p.embedding),
    ]);
  }
  if (p.traits) {
    await db.query(`INSERT INTO user_traits (user_id, traits, source_hash) VALUES ($1, $2::text::jsonb, 'h')`, [
      id,
      JSON.stringify(p.traits),
    ]);
  }
  for (const category of p.privacyOff ?? []) {
    await db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, $2, false)`, [id, category]);
  }
  if (p.harassment !== undefined) {
    await db.query(`INSERT INTO safety_scores (user_id, harassment_score) VALUES ($1, $2)`, [id, p.harassment]);
  }
  for (const media of p.favorites ?? []) {
    await db.query(`INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, $2, 'manual', 5)`, [
      id,
      media,
    ]);
  }
  return id;
}

for (const driver of activeDrivers()) {
  describe(`discovery serving [${driver}]`, () => {
    let db: Db;
    let drop: (() => Promise<void>) | undefined;
    const ids: Record<string, string> = {};
    let token: string;

    const call = async (path: string, init: RequestInit & { as?: string } = {}) => {
      const auth = init.as ? await signAccessToken(init.as) : token;
      return new Request(`http://localhost${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${auth}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...(init.headers ?? {}),
        },
      });
    };
    const candidates = async (query = "", headers: Record<string, string> = {}, as?: string) => {
      const res = await getCandidates(await call(`/api/v2/discovery/candidates${query}`, { headers, as }));
      return { status: res.status, body: await res.json(), timing: res.headers.get("server-timing") };
    };
    const shownIds = async (as?: string) => {
      const { body } = await candidates("?limit=200", {}, as);
      return candidatesResponse.parse(body).candidates.map((c) => c.userId);
    };

    beforeAll(async () => {
      vi.stubEnv("SUPABASE_JWT_SECRET", "discovery-test-secret-discovery-test-secret");
      vi.stubEnv("MESH_DEMO_USERS", "0");
      if (driver === "postgres") {
        const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, "template");
        drop = created.drop;
        vi.stubEnv("DATABASE_URL", created.url);
      } else {
        vi.stubEnv("DATABASE_URL", "");
        vi.stubEnv("MESH_DATA_DIR", join(mkdtempSync(join(tmpdir(), "mesh-discovery-")), "data"));
      }
      db = await getDb();
      await db.query(
        `INSERT INTO canonical_media (id, media_type, title, cover_url) VALUES
           ('imdb:tt0083658', 'film', 'Blade Runner', $1), ('imdb:tt0078748', 'film', 'Alien', NULL)`,
        [BLADE_RUNNER_COVER],
      );
      const sciFi = { descriptors: [{ label: "cerebral sci-fi", weight: 0.9 }] };
      ids.viewer = await addPerson(db, {
        name: "Viewer",
        taste: vec(0),
        embedding: vec(100),
        hobbies: ["climbing"],
        traits: sciFi,
        favorites: ["imdb:tt0083658", "imdb:tt0078748"],
      });
      ids.match = await addPerson(db, {
        name: "Match",
        taste: vec(0, 0.1),
        embedding: vec(100, 0.1),
        traits: sciFi,
        favorites: ["imdb:tt0083658"],
      });
      ids.blockedByViewer = await addPerson(db, { name: "BlockedByViewer", taste: vec(0, 0.05) });
      ids.blockerOfViewer = await addPerson(db, { name: "BlocksViewer", taste: vec(0, 0.05) });
      ids.harasser = await addPerson(db, { name: "Harasser", taste: vec(0, 0.05), harassment: 0.9 });
      ids.borderline = await addPerson(db, { name: "Borderline", taste: vec(0, 0.3), harassment: 0.8 });
      ids.hidden = await addPerson(db, { name: "Hidden", taste: vec(0, 0.05), discoverable: false });
      ids.optedOut = await addPerson(db, { name: "OptedOut", taste: vec(0, 0.05), privacyOff: ["discoverable"] });
      // No location either: only their taste (switched off) could find them, not the nearby top-up.
      ids.noFavorites = await addPerson(db, {
        name: "NoFavorites",
        taste: vec(0, 0.02),
        privacyOff: ["favorites"],
        at: null,
      });
      ids.noFavoritesButProfile = await addPerson(db, {
        name: "ProfileOnly",
        taste: vec(0, 0.02),
        embedding: vec(100, 0.2),
        privacyOff: ["favorites"],
      });
      ids.climber = await addPerson(db, { name: "Climber", embedding: vec(100, 0.3), hobbies: ["climbing"] });
      ids.stranger = await addPerson(db, { name: "Stranger" });
      ids.newcomer = await addPerson(db, { name: "Newcomer" });
      // Distance bands: ~15 km north, ~50 km north, Barcelona (~500 km), location switched off
      // (coordinates stored but not to be used), no location at all. Alien has no cover.
      ids.near15 = await addPerson(db, { name: "Near15", taste: vec(0, 0.06), at: [40.535, -3.7] });
      ids.far50 = await addPerson(db, { name: "Far50", taste: vec(0, 0.07), at: [40.85, -3.7] });
      ids.barcelona = await addPerson(db, { name: "Barcelona", taste: vec(0, 0.08), at: [41.39, 2.17] });
      ids.hidesLocation = await addPerson(db, { name: "HidesLocation", taste: vec(0, 0.04), privacyOff: ["location"] });
      ids.nowhere = await addPerson(db, { name: "Nowhere", taste: vec(0, 0.09), at: null });
      ids.alienFan = await addPerson(db, { name: "AlienFan", taste: vec(0, 0.05), favorites: ["imdb:tt0078748"] });
      await db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2), ($3, $1)`, [
        ids.viewer,
        ids.blockedByViewer,
        ids.blockerOfViewer,
      ]);
      token = await signAccessToken(ids.viewer);
    });

    afterAll(async () => {
      await closeDb();
      await drop?.();
      vi.unstubAllEnvs();
    });

    it("serves taste and profile matches and holds every exclusion rule", async () => {
      const shown = await shownIds();
      expect(shown).toContain(ids.match);
      expect(shown).toContain(ids.borderline); // 0.8 is not above the threshold
      expect(shown).toContain(ids.climber); // found by profile embedding
      expect(shown).toContain(ids.noFavoritesButProfile); // favorites off, but found by profile
      for (const excluded of [
        "viewer",
        "blockedByViewer",
        "blockerOfViewer",
        "harasser",
        "hidden",
        "optedOut",
        "noFavorites",
      ]) {
        expect(shown, excluded).not.toContain(ids[excluded]);
      }
      expect(shown[0]).toBe(ids.match);
    });

    it("answers with reasons in English and Spanish, from ?locale= or Accept-Language", async () => {
      const en = candidatesResponse.parse((await candidates("?limit=5&locale=en")).body);
      const match = en.candidates.find((c) => c.userId === ids.match)!;
      expect(match.reasons).toEqual(["Both enjoy cerebral sci-fi", "You both love Blade Runner"]);
      expect(match.sharedFavorites).toEqual({
        count: 1,
        titles: ["Blade Runner"],
        items: [{ title: "Blade Runner", coverUrl: BLADE_RUNNER_COVER }],
      });
      expect(en.modelVersion).toBe("prior-v2");
      const es = candidatesResponse.parse((await candidates("?limit=5", { "accept-language": "es-ES,es;q=0.9" })).body);
      expect(es.candidates.find((c) => c.userId === ids.match)!.reasons).toContain("A los dos os encanta Blade Runner");
      const climber = candidatesResponse
        .parse((await candidates("?limit=50&locale=en")).body)
        .candidates.find((c) => c.userId === ids.climber)!;
      expect(climber.reasons).toContain("Also into climbing");
    });

    it("shows shared favorites with cover art and a distance band, never the distance itself", async () => {
      await invalidateAllSlates(db);
      const byName = (body: unknown) =>
        new Map(candidatesResponse.parse(body).candidates.map((c) => [c.displayName, c] as const));
      const fresh = await candidates("?limit=50&locale=en");
      const cachedAgain = await candidates("?limit=50&locale=en");
      expect(fresh.body.cached).toBe(false);
      expect(cachedAgain.body.cached).toBe(true);
      for (const body of [fresh.body, cachedAgain.body]) {
        const shown = byName(body);
        expect(shown.get("Match")!.distanceBand).toBe("lt5");
        expect(shown.get("Near15")!.distanceBand).toBe("5to25");
        expect(shown.get("Far50")!.distanceBand).toBe("25to100");
        expect(shown.get("Barcelona")!.distanceBand).toBe("100plus");
        // Switched off: the coordinates are stored, but no band is derived from them.
        expect(shown.get("HidesLocation")!.distanceBand).toBeNull();
        expect(shown.get("Nowhere")!.distanceBand).toBeNull();
        expect(shown.get("AlienFan")!.sharedFavorites.items).toEqual([{ title: "Alien", coverUrl: null }]);
        expect(shown.get("Match")!.sharedFavorites.items).toEqual([
          { title: "Blade Runner", coverUrl: BLADE_RUNNER_COVER },
        ]);
      }
      // Nothing in the answer says more than the band: no kilometres, no coordinates.
      const text = JSON.stringify(fresh.body);
      expect(text).not.toMatch(/"(lat|lon|distance|distanceKm|km)"/);
      expect(text).not.toMatch(/\d\s*km/); // not in a reason's words either ("Lives nearby (15 km)")
      expect(text).not.toContain("40.535");

      // The why endpoint carries the same fields.
      const why = await getWhy(await call(`/api/v2/discovery/why/${ids.far50}`), {
        params: Promise.resolve({ targetId: ids.far50 }),
      });
      expect(whyResponse.parse(await why.json()).distanceBand).toBe("25to100");

      // A viewer who keeps location off sees no bands at all.
      const own = byName((await candidates("?limit=50", {}, ids.hidesLocation)).body);
      expect(own.size).toBeGreaterThan(3);
      expect([...own.values()].map((c) => c.distanceBand)).toEqual([...own.values()].map(() => null));

      // Switching location off takes the band off slates already cached for others.
      const off = await putPrivacy(
        await call("/api/v2/privacy/settings", {
          method: "PUT",
          body: JSON.stringify({ location: false }),
          as: ids.near15,
        }),
      );
      expect(off.status).toBe(200);
      const after = byName((await candidates("?limit=50&locale=en")).body);
      expect(after.get("Near15")!.distanceBand).toBeNull();
      expect(after.get("Far50")!.distanceBand).toBe("25to100");
    });

    it("finds the same shared favorites from the titles' side and from the candidates' side", async () => {
      const { viewer } = await loadViewer(db, ids.viewer);
      const source = { kind: "ann", tasteK: 200, profileK: 300 } as const;
      const shared = (rows: Awaited<ReturnType<typeof retrieveCandidates>>) =>
        Object.fromEntries(rows.map((r) => [r.userId, [r.sharedFavoritesCount, (r.sharedMediaIds ?? []).join("|")]]));
      // This small table takes the titles' side; a threshold below any size forces the other.
      const small = shared(await retrieveCandidates(db, viewer, source));
      const large = shared(await retrieveCandidates(db, viewer, source, { sharedFavoritesLateralAboveRows: -2 }));
      expect(Object.values(small).some(([n]) => Number(n) > 0)).toBe(true);
      expect(large).toEqual(small);
    });

    it("names the best-rated shared titles of shown candidates, and reads profile vectors only when MMR needs them", async () => {
      const fan = await addPerson(db, {
        name: "DoubleFan",
        taste: vec(0, 0.01),
        favorites: ["imdb:tt0083658", "imdb:tt0078748"],
      });
      try {
        // Both rated 5 by the viewer; the fan rates Blade Runner 1 and Alien 5, so Alien comes first.
        await db.query(`UPDATE favorite_items SET rating = 1 WHERE user_id = $1 AND media_id = 'imdb:tt0083658'`, [
          fan,
        ]);
        const loaded = await loadViewer(db, ids.viewer);
        const raw = await retrieveCandidates(db, loaded.viewer, { kind: "ann", tasteK: 200, profileK: 300 });
        const scored = rankCandidates(
          loaded.model,
          raw.map((r) => computeFeatures(loaded.viewer, r)),
        );
        const pick = (...who: string[]) => who.map((id) => scored.find((c) => c.raw.userId === id)!);
        const titles = await loadSharedTitles(db, ids.viewer, pick(fan, ids.match, ids.alienFan, ids.near15));
        expect(titles.get(fan)).toEqual({ titles: ["Alien", "Blade Runner"], covers: [null, BLADE_RUNNER_COVER] });
        expect(titles.get(ids.alienFan)!.titles).toEqual(["Alien"]);
        expect(titles.has(ids.near15)).toBe(false); // nothing shared
        const entry = toSlateEntry(withSharedTitles(pick(fan)[0], titles.get(fan)));
        expect(entry.sharedFavorites.titles).toEqual(["Alien", "Blade Runner"]);
        expect(entry.reasons).toContainEqual({ kind: "shared_favorite", title: "Alien" });

        // Everyone here has a taste vector, so MMR never compares profiles: none are read.
        const tasteOnly = await loadDiversityVectors(db, [fan, ids.match, ids.alienFan]);
        for (const v of tasteOnly.values()) {
          expect(v.taste).not.toBeNull();
          expect(v.profile).toBeNull();
        }
        // Climber has no taste vector: now the others' profile embeddings are needed too.
        const mixed = await loadDiversityVectors(db, [ids.match, ids.climber]);
        expect(mixed.get(ids.climber)!.taste).toBeNull();
        expect(mixed.get(ids.climber)!.profile).not.toBeNull();
        expect(mixed.get(ids.match)!.profile).not.toBeNull();
      } finally {
        await db.query(`DELETE FROM auth.users WHERE id = $1`, [fan]);
      }
    });

    it("stores only https cover URLs", async () => {
      for (const bad of ["http://covers.example.org/x.jpg", "javascript:alert(1)", "https://a b/c.jpg"]) {
        await expect(
          db.query(`UPDATE canonical_media SET cover_url = $1 WHERE id = 'imdb:tt0078748'`, [bad]),
          bad,
        ).rejects.toThrow(/check constraint/);
      }
    });

    it("caches the slate, logs impressions, and pages with a cursor", async () => {
      await invalidateAllSlates(db);
      const impressionCount = async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM events WHERE user_id = $1 AND kind = 'impression'`,
            [ids.viewer],
          )
        )[0].n;
      const impressionsBefore = await impressionCount();
      const firstRes = await candidates("?limit=2");
      const first = candidatesResponse.parse(firstRes.body);
      expect(first.cached).toBe(false);
      // Stage durations for monitoring, and nothing else (no ids or scores in a header).
      expect(firstRes.timing).toMatch(
        /^viewer;dur=[\d.]+, retrieve;dur=[\d.]+, rank;dur=[\d.]+, post;dur=[\d.]+, store;dur=[\d.]+$/,
      );
      expect(first.candidates).toHaveLength(2);
      const againRes = await candidates("?limit=2");
      const again = candidatesResponse.parse(againRes.body);
      expect(again.cached).toBe(true);
      expect(againRes.timing).toBe("cache;desc=hit");
      expect(again.candidates.map((c) => c.userId)).toEqual(first.candidates.map((c) => c.userId));
      const next = candidatesResponse.parse((await candidates(`?limit=2&cursor=${first.nextCursor}`)).body);
      expect(next.candidates.map((c) => c.userId)).not.toContain(first.candidates[0].userId);
      // The first page asked for again at once is the same impression: the same request id, and its
      // people logged once (a double fetch or reload must not count them as shown twice).
      expect(again.requestId).toBe(first.requestId);
      expect((await impressionCount()) - impressionsBefore).toBe(4); // two pages of two
      // Logged with the request's id, the model and the ranker's features.
      // (by the first serve, which built the slate).
      const logged = await db.query<{ target_id: string; value: number; payload: Record<string, unknown> }>(
        `SELECT target_id, value, payload FROM events WHERE kind = 'impression' AND payload ->> 'requestId' = $1 ORDER BY value`,
        [again.requestId],
      );
      expect(logged.map((r) => [r.target_id, r.value])).toEqual(again.candidates.map((c, i) => [c.userId, i + 1]));
      for (const r of logged) {
        expect(r.payload).toMatchObject({ modelVersion: again.modelVersion, cached: false });
        expect(Object.keys(r.payload.features as object)).toContain("tasteSimilarity");
      }

      // The first page again is served from this process's memory while its slate is the live one.
      // Another instance's feedback drops it: its invalidateSlates deletes the slate and notifies
      // every listening process (simulated here with the same statement, minus this process's own
      // forgetting), and the notification arrives within moments.
      const passed = first.candidates[0].userId;
      await db.query(`INSERT INTO feedback (user_id, target_user_id, action) VALUES ($1, $2, 'pass')`, [
        ids.viewer,
        passed,
      ]);
      await db.query(
        `WITH d AS (DELETE FROM slate_cache WHERE viewer_id = $1 RETURNING 1) SELECT pg_notify('mesh_slates', $2)`,
        [ids.viewer, JSON.stringify({ viewers: [ids.viewer] })],
      );
      await expect
        .poll(async () => candidatesResponse.parse((await candidates("?limit=2")).body).cached, { timeout: 5_000 })
        .toBe(false);
      const elsewhere = candidatesResponse.parse((await candidates("?limit=2")).body);
      expect(elsewhere.candidates.map((c) => c.userId)).not.toContain(passed);
      await db.query(`DELETE FROM feedback WHERE user_id = $1 AND target_user_id = $2`, [ids.viewer, passed]);
      await invalidateSlates(db, [ids.viewer]);

      // A notification lost on the way (a listening connection reconnecting): the page is served
      // from memory only until the recheck window ends, then the database is asked again.
      await candidates("?limit=2");
      await db.query(`DELETE FROM slate_cache WHERE viewer_id = $1`, [ids.viewer]);
      expect(candidatesResponse.parse((await candidates("?limit=2")).body).cached).toBe(true);
      process.env.MESH_PAGE_RECHECK_MS = "0"; // the window has passed
      try {
        expect(candidatesResponse.parse((await candidates("?limit=2")).body).cached).toBe(false);
      } finally {
        delete process.env.MESH_PAGE_RECHECK_MS;
      }

      // When a busy page's window ends, one request checks it against the database and logs it
      // again; the requests arriving meanwhile are served from memory as the earlier impression.
      const shown = candidatesResponse.parse((await candidates("?limit=2")).body);
      process.env.MESH_PAGE_RECHECK_MS = "150";
      try {
        await new Promise((r) => setTimeout(r, 200)); // past the window
        const burst = await Promise.all(
          Array.from({ length: 6 }, async () => candidatesResponse.parse((await candidates("?limit=2")).body)),
        );
        expect(burst.every((p) => p.cached)).toBe(true);
        const requestIds = new Set(burst.map((p) => p.requestId));
        expect(requestIds.size).toBe(2); // the earlier serve's id, and the one recheck's
        expect(requestIds.has(shown.requestId)).toBe(true);
        const rechecks = await db.query<{ n: number }>(
          `SELECT count(DISTINCT payload ->> 'requestId')::int AS n FROM events
           WHERE user_id = $1 AND kind = 'impression' AND payload ->> 'requestId' = ANY($2::text[])`,
          [ids.viewer, [...requestIds]],
        );
        expect(rechecks[0].n).toBe(2);
      } finally {
        delete process.env.MESH_PAGE_RECHECK_MS;
      }

      // The slate is written with synchronous_commit off for its own transaction only: the
      // connection it ran on (one connection here) still commits everything else durably.
      const single = driver === "postgres" ? openPostgres(process.env.DATABASE_URL!, { max: 1 }) : db;
      try {
        await storeSlate(single, ids.stranger, { items: [], ids: [], complete: true }, "test", 60, {
          offset: 0,
          limit: 2,
        });
        const [setting] = await single.query<{ v: string }>(`SELECT current_setting('synchronous_commit') AS v`);
        expect(setting.v).toBe("on");
      } finally {
        await invalidateSlates(db, [ids.stranger]);
        if (single !== db) await single.close();
      }
    });

    it("rejects bad query parameters with 400 naming the parameter", async () => {
      for (const [query, field] of [
        ["?limit=0", "limit"],
        ["?limit=201", "limit"],
        ["?limit=abc", "limit"],
        ["?locale=fr", "locale"],
        ["?cursor=not-a-cursor", "cursor"],
      ]) {
        const { status, body } = await candidates(query);
        expect(status, query).toBe(400);
        expect(body.error.field, query).toBe(field);
      }
      const why = await getWhy(await call("/api/v2/discovery/why/nope"), {
        params: Promise.resolve({ targetId: "nope" }),
      });
      expect(why.status).toBe(400);
      expect((await why.json()).error.field).toBe("targetId");
    });

    it("falls back for a new user: profile only without taste, popular and nearby with neither", async () => {
      const fresh = await shownIds(ids.newcomer);
      expect(fresh.length).toBeGreaterThan(0); // nearby people (everyone here is in Madrid)
      expect(fresh).not.toContain(ids.hidden);
      expect(fresh).not.toContain(ids.harasser);
      const profileOnly = await buildSlate(db, ids.climber, 20);
      expect(profileOnly.entries.map((e) => e.userId)).toContain(ids.viewer);
    });

    it("why/:targetId explains, and answers 404 alike for unknown, blocked and opted-out targets", async () => {
      const why = async (targetId: string) =>
        getWhy(await call(`/api/v2/discovery/why/${targetId}?locale=es`), { params: Promise.resolve({ targetId }) });
      const ok = await why(ids.match);
      expect(ok.status).toBe(200);
      const body = whyResponse.parse(await ok.json());
      expect(body.reasons).toEqual(["Compartís el gusto por cerebral sci-fi", "A los dos os encanta Blade Runner"]);
      const bodies = [];
      for (const target of [crypto.randomUUID(), ids.blockedByViewer, ids.blockerOfViewer, ids.optedOut, ids.hidden]) {
        const res = await why(target);
        expect(res.status).toBe(404);
        bodies.push(await res.json());
      }
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    });

    it("blocks and unblocks take effect on the next request, and feedback is recorded", async () => {
      expect(await shownIds()).toContain(ids.borderline);
      const block = await postBlock(
        await call("/api/v2/blocks", { method: "POST", body: JSON.stringify({ userId: ids.borderline }) }),
      );
      expect(block.status).toBe(201);
      expect(await shownIds()).not.toContain(ids.borderline);
      expect(await shownIds(ids.borderline)).not.toContain(ids.viewer);
      const unblock = await deleteBlock(await call(`/api/v2/blocks/${ids.borderline}`, { method: "DELETE" }), {
        params: Promise.resolve({ userId: ids.borderline }),
      });
      expect(unblock.status).toBe(200);
      expect(await shownIds()).toContain(ids.borderline);

      const pass = await postFeedback(
        await call("/api/v2/discovery/feedback", {
          method: "POST",
          body: JSON.stringify({ targetId: ids.borderline, action: "pass" }),
        }),
      );
      expect(pass.status).toBe(201);
      expect(await shownIds()).not.toContain(ids.borderline); // a pass is not shown again
      const bad = await postFeedback(
        await call("/api/v2/discovery/feedback", {
          method: "POST",
          body: JSON.stringify({ targetId: ids.match, action: "superlike" }),
        }),
      );
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.field).toBe("action");
      const accept = await postFeedback(
        await call("/api/v2/discovery/feedback", {
          method: "POST",
          body: JSON.stringify({ targetId: ids.match, action: "connect_accept" }),
        }),
      );
      expect(accept.status).toBe(409);
    });

    it("a deleted account leaves every page at once, including the page served from memory", async () => {
      const twin = await addPerson(db, { name: "Twin", taste: vec(0, 0.01), embedding: vec(100, 0.01) });
      await invalidateSlates(db, [ids.viewer]);
      expect(await shownIds()).toContain(twin);
      expect(candidatesResponse.parse((await candidates("?limit=200")).body).cached).toBe(true); // from memory
      await deleteUserData(db, twin);
      expect(await shownIds()).not.toContain(twin);
    });
  });
}
