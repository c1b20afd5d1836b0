import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { invalidateSlates } from "../../lib/discovery/slate-cache";
import { GET as getCandidates } from "../../app/api/v2/discovery/candidates/route";
import { POST as postFeedback } from "../../app/api/v2/discovery/feedback/route";
import { GET as getProfile, PUT as putProfile } from "../../app/api/v2/profile/route";
import { POST as postWelcome } from "../../app/api/v2/profile/welcome/route";
import { candidatesResponse } from "../../api/discovery";
import { profileResponse } from "../../api/profile";
import { signAccessToken } from "../../lib/auth/tokens";
import type { Db } from "../../lib/db";
import { toVectorParam } from "../../lib/db/vector";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

/** A unit 256-d vector: `a` along `axis`, `b` along `other`. */
function vec(parts: [number, number][]): number[] {
  const v = new Array(256).fill(0);
  for (const [axis, x] of parts) v[axis] += x;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

interface Person {
  name: string;
  taste?: number[];
  hobbies?: string[];
  goals?: string[];
  at?: [number, number];
}

async function addPerson(db: Db, p: Person): Promise<string> {
  const id = await createUser(db, { displayName: p.name });
  await db.query(`UPDATE profiles SET hobbies = $2, goals = $3, lat = $4, lon = $5 WHERE user_id = $1`, [
    id,
    p.hobbies ?? [],
    p.goals ?? [],
    p.at?.[0] ?? null,
    p.at?.[1] ?? null,
  ]);
  if (p.taste) {
    await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')`, [
      id,
      toVectorParam(p.taste),
    ]);
  }
  return id;
}

// Two taste clusters (axes 0 and 1), each person spread along an axis of their own; viewers sit
// exactly between the clusters.
const CLUSTER_SIZE = 30;
const between = () =>
  vec([
    [0, 1],
    [1, 1],
  ]);

describeEachDriver("profiles, goals and swipe-to-tune", (ctx, driver) => {
  let db: Db;
  let unserve: () => void;
  const clusterA: string[] = [];
  const clusterB: string[] = [];
  const names = new Map<string, string>();

  const request = async (as: string, path: string, init: RequestInit = {}) =>
    new Request(`http://localhost${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await signAccessToken(as)}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
    });
  const put = async (as: string, body: unknown) => {
    const res = await putProfile(await request(as, "/api/v2/profile", { method: "PUT", body: JSON.stringify(body) }));
    return { status: res.status, body: await res.json() };
  };
  const slate = async (as: string, limit = 20) => {
    const res = await getCandidates(await request(as, `/api/v2/discovery/candidates?limit=${limit}&locale=en`));
    expect(res.status).toBe(200);
    return candidatesResponse.parse(await res.json());
  };
  const feedback = async (as: string, targetId: string, action: string) => {
    const res = await postFeedback(
      await request(as, "/api/v2/discovery/feedback", { method: "POST", body: JSON.stringify({ targetId, action }) }),
    );
    expect(res.status).toBe(201);
  };
  // Of the slate's people from either cluster, the share from cluster A.
  const shareOfA = (ids: string[]) => {
    const a = ids.filter((id) => clusterA.includes(id)).length;
    return a / (a + ids.filter((id) => clusterB.includes(id)).length);
  };

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", "profile-tune-test-secret-profile-tune-test");
    db = ctx.db;
    unserve = serveRoutesFrom(db);
    for (let i = 0; i < CLUSTER_SIZE; i++) {
      const a = await addPerson(db, {
        name: `Ana ${i}`,
        taste: vec([
          [0, 1],
          [10 + i, 0.5],
        ]),
      });
      const b = await addPerson(db, {
        name: `Bo ${i}`,
        taste: vec([
          [1, 1],
          [100 + i, 0.5],
        ]),
      });
      clusterA.push(a);
      clusterB.push(b);
      names.set(a, `Ana ${i}`);
    }
  }, 120_000);

  afterAll(() => {
    unserve();
    vi.unstubAllEnvs();
  });

  it("three 'more like this' on one taste cluster fill the next slate with it; 'less like this' empties it", async () => {
    const base = await addPerson(db, { name: "Base", taste: between() });
    const more = await addPerson(db, { name: "More", taste: between() });
    const less = await addPerson(db, { name: "Less", taste: between() });
    const baseline = shareOfA((await slate(base)).candidates.map((c) => c.userId));

    for (const target of clusterA.slice(0, 3)) await feedback(more, target, "more_like_this");
    const tuned = await slate(more);
    const moreShare = shareOfA(tuned.candidates.map((c) => c.userId));
    for (const target of clusterA.slice(0, 3)) await feedback(less, target, "less_like_this");
    const lessShare = shareOfA((await slate(less)).candidates.map((c) => c.userId));

    console.log(
      `[${driver}] cluster A share of a 20-person slate: baseline ${baseline}, after 3x more ${moreShare}, after 3x less ${lessShare}`,
    );
    // Both clusters show untuned (ties between them fall to MMR and id order); tuning moves the
    // share at least halfway to all of cluster A, or halves it.
    expect(baseline).toBeGreaterThan(0);
    expect(baseline).toBeLessThan(1);
    expect(moreShare).toBeGreaterThanOrEqual(baseline + (1 - baseline) / 2);
    expect(lessShare).toBeLessThanOrEqual(baseline / 2);

    // The reasons say why: a cluster-A card other than the liked people names one of them.
    const liked = new Set(clusterA.slice(0, 3).map((id) => `Because you liked ${names.get(id)}`));
    const lifted = tuned.candidates.filter((c) => clusterA.slice(3).includes(c.userId));
    expect(lifted.length).toBeGreaterThan(0);
    for (const c of lifted) expect(liked.has(c.reasons[0]), c.reasons.join(" | ")).toBe(true);

    // Tuning is behaviour: with the switch off it stops, and comes back when it is on again.
    const tunedReasons = async () =>
      (await slate(more)).candidates.some((c) => c.reasons.some((r) => r.startsWith("Because you liked")));
    await db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'behaviour', false)`, [more]);
    await invalidateSlates(db, [more]);
    expect(await tunedReasons()).toBe(false);
    await db.query(`DELETE FROM privacy_settings WHERE user_id = $1`, [more]);
    await invalidateSlates(db, [more]);
    expect(await tunedReasons()).toBe(true);

    // The preference decays: feedback older than the window no longer tunes.
    await db.query(`UPDATE feedback SET created_at = now() - interval '15 days' WHERE user_id = $1`, [more]);
    await invalidateSlates(db, [more]);
    const faded = await slate(more);
    expect(shareOfA(faded.candidates.map((c) => c.userId))).toBeLessThan(moreShare - 0.2);
    expect(faded.candidates.some((c) => c.reasons.some((r) => r.startsWith("Because you liked")))).toBe(false);
  });

  it("writes a profile: city from the gazetteer or a rounded position, age band from a birthday never stored", async () => {
    const me = await addPerson(db, { name: "" });
    const saved = await put(me, {
      displayName: "Ada",
      city: "madrid",
      birthday: "1990-06-15",
      hobbies: ["Chess", " chess ", "synthesizers"],
      goals: ["friends", "collaborators"],
      language: "es",
    });
    expect(saved.status).toBe(200);
    const profile = profileResponse.parse(saved.body);
    expect(profile).toMatchObject({
      displayName: "Ada",
      city: "Madrid, ES",
      hobbies: ["Chess", "synthesizers"],
      goals: ["friends", "collaborators"],
      language: "es",
      onboarded: false,
    });
    expect(profile.ageBand).toMatch(/^(35-44|25-34)$/);
    expect(profile.categories.city).toBe("location");
    expect(profile.categories.goals).toBe("interests");
    const columns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'profiles' AND column_name ILIKE '%birth%'`,
    );
    expect(columns, "no birthday column").toEqual([]);
    expect(JSON.stringify(await db.query("SELECT * FROM profiles WHERE user_id = $1", [me]))).not.toContain("1990");

    // The browser's position: ~5 km grid before storage, named after the nearest town.
    const moved = await put(me, { position: { latitude: 41.38879, longitude: 2.15899 } });
    expect(moved.body.city).toBe("Barcelona, ES");
    const [row] = await db.query<{ lat: number; lon: number }>("SELECT lat, lon FROM profiles WHERE user_id = $1", [
      me,
    ]);
    expect(Math.abs(row.lat * 20 - Math.round(row.lat * 20))).toBeLessThan(1e-9);
    expect(Math.abs(row.lon * 20 - Math.round(row.lon * 20))).toBeLessThan(1e-9);
    expect(row.lat).not.toBe(41.38879);

    const read = await getProfile(await request(me, "/api/v2/profile"));
    expect((await read.json()).city).toBe("Barcelona, ES");
  });

  it("refuses bad fields with a 400 naming the field, and writes nothing", async () => {
    const me = await addPerson(db, { name: "Careful", hobbies: ["knitting"] });
    const cases: [unknown, string][] = [
      [{ city: "Nowhereville Upon Nothing", hobbies: ["chess"] }, "city"],
      [{ goals: ["marriage"] }, "goals.0"],
      [{ birthday: "2015-01-01", hobbies: ["chess"] }, "birthday"],
      [{ birthday: "1990-02-30" }, "birthday"],
      [{ hobbies: ["x".repeat(41)] }, "hobbies.0"],
      [{ city: "Madrid", position: { latitude: 1, longitude: 2 } }, "position"],
      [{ shoeSize: 44 }, "(body)"],
    ];
    for (const [body, field] of cases) {
      const res = await put(me, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    const [row] = await db.query<{ hobbies: string[]; age_band: string | null }>(
      "SELECT hobbies, age_band FROM profiles WHERE user_id = $1",
      [me],
    );
    expect(row).toEqual({ hobbies: ["knitting"], age_band: null });
  });

  it("a change queues a re-embed and drops the cached slate", async () => {
    const me = await addPerson(db, { name: "Changer", taste: between() });
    await slate(me);
    expect((await slate(me)).cached).toBe(true);
    await put(me, { hobbies: ["astronomy"] });
    const jobs = await db.query("SELECT 1 FROM jobs WHERE kind = 're-embed-user' AND payload ->> 'userId' = $1", [me]);
    expect(jobs.length).toBe(1);
    expect((await slate(me)).cached).toBe(false);
  });

  it("goals: dates only with people who chose dates; collaborators with shared interests and another skill", async () => {
    const madrid: [number, number] = [40.4, -3.7];
    const dater = await addPerson(db, { name: "Dater", goals: ["dates"], hobbies: ["tango"], at: madrid });
    const otherDater = await addPerson(db, {
      name: "Other dater",
      goals: ["dates", "friends"],
      hobbies: ["tango"],
      at: madrid,
    });
    const friend = await addPerson(db, { name: "Just friends", goals: ["friends"], hobbies: ["tango"], at: madrid });
    const maker = await addPerson(db, {
      name: "Maker",
      goals: ["collaborators"],
      hobbies: ["coding", "film"],
      at: madrid,
    });
    const partner = await addPerson(db, {
      name: "Partner",
      goals: ["collaborators"],
      hobbies: ["film", "sound design"],
      at: madrid,
    });
    const seen = async (as: string) => (await slate(as, 200)).candidates;
    const forDater = (await seen(dater)).map((c) => c.userId);
    expect(forDater).toContain(otherDater);
    expect(forDater).not.toContain(friend);
    expect(forDater).not.toContain(maker);
    expect((await seen(friend)).map((c) => c.userId)).not.toContain(dater);
    const forMaker = await seen(maker);
    const card = forMaker.find((c) => c.userId === partner);
    expect(card?.reasons[0]).toBe("Also looking to collaborate; brings sound design");
  });

  it("finishing /welcome marks the person onboarded and pre-warms a slate that uses what they entered", async () => {
    await addPerson(db, { name: "Baker", hobbies: ["baking"], at: [40.42, -3.71] });
    const me = await addPerson(db, { name: "" });
    expect((await put(me, { hobbies: ["baking"], goals: ["friends"], city: "Madrid, ES" })).status).toBe(200);
    const res = await postWelcome(await request(me, "/api/v2/profile/welcome", { method: "POST" }));
    expect(res.status).toBe(200);
    expect((await res.json()).slateSize).toBeGreaterThan(0);
    const first = await slate(me);
    expect(first.cached).toBe(true);
    expect(first.candidates.some((c) => c.reasons.includes("Also into baking"))).toBe(true);
    const profile = await (await getProfile(await request(me, "/api/v2/profile"))).json();
    expect(profile.onboarded).toBe(true);
  });
});
