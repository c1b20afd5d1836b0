import { beforeAll, expect, it } from "vitest";
import type { Db } from "../../lib/db/types";
import { toVectorParam } from "../../lib/db/vector";
import { retrieveCandidates } from "../../lib/discovery/retrieve";
import { loadViewer } from "../../lib/discovery/viewer";
import { explainCandidate } from "../../lib/discovery/why";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

/**
 * One rule for who may be suggested to whom, checked for every place a candidate comes from: the
 * two ANN scans (taste, profile embedding), the cold-start fallback (popular, nearby) and the why
 * endpoint (one named person). Each row below is one person, set up to be found by every source
 * (close in taste and interests, in the viewer's city, popular with a third person), then
 * excluded in one way; the row says which sources must not return them.
 */

const SOURCES = ["taste", "profile", "popular", "nearby", "why"] as const;
type Source = (typeof SOURCES)[number];

const EVERYWHERE: Source[] = [...SOURCES];
/** Someone the viewer already dealt with is not suggested again, but why/:id still explains them. */
const SUGGESTIONS: Source[] = ["taste", "profile", "popular", "nearby"];

interface Exclusion {
  kind: string;
  /** Makes `person` excluded for `viewer` (for "the viewer themself" there is nothing to do). */
  apply: (db: Db, viewer: string, person: string) => Promise<void>;
  excludedFrom: Source[];
}

const feedback = (action: string) => async (db: Db, viewer: string, person: string) => {
  await db.query(`INSERT INTO feedback (user_id, target_user_id, target_id, action) VALUES ($1, $2, $3, $4)`, [
    viewer,
    person,
    person,
    action,
  ]);
};
const privacyOff = (category: string) => async (db: Db, _viewer: string, person: string) => {
  await db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, $2, false)`, [
    person,
    category,
  ]);
};
const nothing = async () => {};

const EXCLUSIONS: Exclusion[] = [
  { kind: "someone not excluded at all (the control)", apply: nothing, excludedFrom: [] },
  { kind: "the viewer themself", apply: nothing, excludedFrom: EVERYWHERE },
  {
    kind: "someone the viewer blocked",
    apply: (db, viewer, person) =>
      db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [viewer, person]).then(nothing),
    excludedFrom: EVERYWHERE,
  },
  {
    kind: "someone who blocked the viewer",
    apply: (db, viewer, person) =>
      db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [person, viewer]).then(nothing),
    excludedFrom: EVERYWHERE,
  },
  {
    kind: "someone whose profile is not discoverable",
    apply: (db, _viewer, person) =>
      db.query(`UPDATE profiles SET discoverable = false WHERE user_id = $1`, [person]).then(nothing),
    excludedFrom: EVERYWHERE,
  },
  { kind: "someone who switched discoverable off", apply: privacyOff("discoverable"), excludedFrom: EVERYWHERE },
  { kind: "someone the viewer passed on", apply: feedback("pass"), excludedFrom: SUGGESTIONS },
  { kind: "someone the viewer swiped left on", apply: feedback("swipe_left"), excludedFrom: SUGGESTIONS },
  { kind: "someone the viewer asked for less like", apply: feedback("less_like_this"), excludedFrom: SUGGESTIONS },
  { kind: "someone the viewer connected with", apply: feedback("connect"), excludedFrom: SUGGESTIONS },
  {
    kind: "someone the viewer sent a connection request",
    apply: feedback("connect_request"),
    excludedFrom: SUGGESTIONS,
  },
  {
    kind: "someone whose request the viewer accepted",
    apply: async (db, viewer, person) => {
      await feedback("connect")(db, person, viewer);
      await feedback("connect_accept")(db, viewer, person);
    },
    excludedFrom: SUGGESTIONS,
  },
  {
    // The accept alone, as connection graphs are recorded without their requests (demo and bench
    // data); the viewer's own request row would exclude them anyway. The fallback used to miss this.
    kind: "someone who accepted the viewer's request",
    apply: (db, viewer, person) => feedback("connect_accept")(db, person, viewer),
    excludedFrom: SUGGESTIONS,
  },
  // A switched-off signal keeps a person out of the source that relies on it, and only that one.
  { kind: "someone who switched favorites off", apply: privacyOff("favorites"), excludedFrom: ["taste"] },
  { kind: "someone who switched interests off", apply: privacyOff("interests"), excludedFrom: ["profile"] },
  { kind: "someone who switched location off", apply: privacyOff("location"), excludedFrom: ["nearby"] },
];

/** A 256-d vector pointing along `axis`, nudged by `jitter` along axis+1. */
function vec(axis: number, jitter: number): string {
  const v = new Array(256).fill(0);
  v[axis] = 1;
  v[axis + 1] = jitter;
  return toVectorParam(v);
}

const MADRID = [40.4, -3.7];

/** Someone every source would find for the viewer: close in taste and interests, in Madrid. */
async function findablePerson(db: Db, name: string, jitter: number): Promise<string> {
  const id = await createUser(db, { displayName: name });
  await db.query(`UPDATE profiles SET lat = $2, lon = $3 WHERE user_id = $1`, [id, MADRID[0], MADRID[1] + jitter]);
  await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')`, [
    id,
    vec(0, jitter),
  ]);
  await db.query(`INSERT INTO user_embeddings (user_id, embedding, model_version) VALUES ($1, $2::vector, 'test')`, [
    id,
    vec(100, jitter),
  ]);
  return id;
}

describeEachDriver("who may be suggested to whom, for every candidate source", (ctx) => {
  const person = new Map<string, string>();
  const found = new Map<Source, Set<string>>();

  beforeAll(async () => {
    const db = ctx.db;
    const viewer = await findablePerson(db, "Viewer", 0);
    // Someone far away with no vectors, who likes everyone: it makes them all popular.
    const fan = await createUser(db, { displayName: "Fan" });
    for (const [i, ex] of EXCLUSIONS.entries()) {
      const id = ex.kind === "the viewer themself" ? viewer : await findablePerson(db, ex.kind, 0.01 * (i + 1));
      person.set(ex.kind, id);
      await feedback("swipe_right")(db, fan, id);
      await ex.apply(db, viewer, id);
    }

    const { viewer: context } = await loadViewer(db, viewer);
    const ann = await retrieveCandidates(db, context, { kind: "ann", tasteK: 200, profileK: 300 });
    const fallback = await retrieveCandidates(db, context, { kind: "fallback", k: 200 });
    for (const source of SOURCES) found.set(source, new Set());
    for (const c of [...ann, ...fallback]) {
      for (const s of c.sources) if (s !== "direct") found.get(s)!.add(c.userId);
    }
    for (const id of person.values()) {
      const answer = await explainCandidate(db, viewer, id).catch((err: { status?: number }) => {
        if (err.status === 404) return null;
        throw err;
      });
      if (answer) {
        expect(answer.entry.userId).toBe(id);
        found.get("why")!.add(id);
      }
    }
  });

  it.each(EXCLUSIONS)("$kind", ({ kind, excludedFrom }) => {
    const id = person.get(kind)!;
    const returnedBy = Object.fromEntries(SOURCES.map((s) => [s, found.get(s)!.has(id)]));
    const expected = Object.fromEntries(SOURCES.map((s) => [s, !excludedFrom.includes(s)]));
    expect(returnedBy).toEqual(expected);
  });

  it("suggests someone again once their profile is discoverable again", async () => {
    const db = ctx.db;
    const viewer = person.get("the viewer themself")!;
    const returning = await findablePerson(db, "Returning", 0.2);
    const { viewer: context } = await loadViewer(db, viewer);
    const tasteMatches = async () =>
      (await retrieveCandidates(db, context, { kind: "ann", tasteK: 200, profileK: 0 })).map((c) => c.userId);
    await db.query(`UPDATE profiles SET discoverable = false WHERE user_id = $1`, [returning]);
    expect(await tasteMatches()).not.toContain(returning);
    await db.query(`UPDATE profiles SET discoverable = true WHERE user_id = $1`, [returning]);
    expect(await tasteMatches()).toContain(returning);
  });
});
