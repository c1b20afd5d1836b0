import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as suggested } from "../../app/api/v2/discovery/rooms/route";
import { GET as inviteList } from "../../app/api/v2/discovery/rooms/[id]/invite/route";
import { POST as create } from "../../app/api/v2/rooms/route";
import { GET as detail } from "../../app/api/v2/rooms/[id]/route";
import { POST as close } from "../../app/api/v2/rooms/[id]/close/route";
import { POST as invite } from "../../app/api/v2/rooms/[id]/invitations/route";
import { POST as join } from "../../app/api/v2/rooms/[id]/join/route";
import { POST as leave } from "../../app/api/v2/rooms/[id]/leave/route";
import { signAccessToken } from "../../lib/auth/tokens";
import type { Db } from "../../lib/db/types";
import { fromVectorColumn, toVectorParam } from "../../lib/db/vector";
import { activeIndexFor } from "../../lib/rooms/active-index";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "rooms-test-secret-of-sufficient-length";

/** A unit-ish 256-d taste: mostly along axis `axis`, with a little of `wobble`. */
function taste(axis: number, wobble = 0): number[] {
  const v = new Array<number>(256).fill(0);
  v[axis] = 1;
  v[(axis + 1 + wobble) % 256] = 0.2 + wobble * 0.05;
  return v;
}

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
};

describeEachDriver("live rooms", (ctx) => {
  let restore: () => void;
  const people: Record<string, { id: string; token: string }> = {};
  const names = ["host", "viewer", "fan", "quiet", "close", "far", "idle", "blocker", "hidden", "stranger"];

  const call = async (
    handler: (req?: Request, c?: { params: Promise<Record<string, string>> }) => Promise<Response>,
    who: string,
    path: string,
    init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
  ) => {
    const res = await handler(
      new Request(`http://localhost${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${people[who].token}`, "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
      { params: Promise.resolve(init.params ?? {}) },
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const openRoom = async (who: string, body: Record<string, unknown>) => {
    const res = await call(create, who, "/api/v2/rooms", { method: "POST", body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const act = (handler: typeof join, who: string, id: string, verb: string) =>
    call(handler, who, `/api/v2/rooms/${id}/${verb}`, { method: "POST", params: { id } });
  const setTaste = (db: Db, id: string, v: number[]) =>
    db.query(
      `INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')
       ON CONFLICT (user_id) DO UPDATE SET taste = EXCLUDED.taste`,
      [id, toVectorParam(v)],
    );
  const seen = (db: Db, id: string, minutesAgo: number) =>
    db.query(
      `INSERT INTO behaviour_recent (user_id, updated_at) VALUES ($1, now() - make_interval(mins => $2))
       ON CONFLICT (user_id) DO UPDATE SET updated_at = EXCLUDED.updated_at`,
      [id, minutesAgo],
    );
  const roomTaste = async (id: string) => {
    const [r] = await ctx.db.query<{ taste_sum: string | null; taste_count: number; attendees: number }>(
      `SELECT taste_sum::text AS taste_sum, taste_count, attendees FROM room_tastes WHERE room_id = $1`,
      [id],
    );
    return { sum: r.taste_sum ? fromVectorColumn(r.taste_sum) : null, count: r.taste_count, attendees: r.attendees };
  };
  /** The room's taste recomputed from scratch: the mean of who is inside and counts. */
  const recomputed = async (id: string) =>
    (
      await ctx.db.query<{ v: string | null }>(
        `SELECT avg(t.taste)::text AS v FROM room_attendees a JOIN user_taste_vectors t ON t.user_id = a.user_id
         WHERE a.room_id = $1 AND a.left_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = a.user_id)`,
        [id],
      )
    )[0].v;

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    for (const name of names) {
      const id = await createUser(ctx.db, { displayName: name });
      people[name] = { id, token: await signAccessToken(id) };
    }
    const axisOf: Record<string, number> = { far: 100 };
    for (const [i, name] of names.entries()) await setTaste(ctx.db, people[name].id, taste(axisOf[name] ?? 0, i));
    for (const name of ["close", "far", "blocker", "hidden"]) await seen(ctx.db, people[name].id, 1);
    await seen(ctx.db, people.idle.id, 120);
    await ctx.db.query(`UPDATE profiles SET discoverable = false WHERE user_id = $1`, [people.hidden.id]);
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title) VALUES ('local:stalker', 'film', 'Stalker')`,
    );
    for (const name of ["viewer", "fan"])
      await ctx.db.query(
        `INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, 'local:stalker', 'manual', 5)`,
        [people[name].id],
      );
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("keeps a room's taste as the running mean of who is inside, records joins, and only the host closes it", async () => {
    const id = await openRoom("host", { title: "Slow cinema", tags: ["tarkovsky"] });
    expect((await roomTaste(id)).count).toBe(1);
    expect((await act(join, "fan", id, "join")).body).toEqual({ id, inside: true });
    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'favorites', false)`, [
      people.quiet.id,
    ]);
    await act(join, "quiet", id, "join"); // inside, but brings no taste: favorites off
    let t = await roomTaste(id);
    expect({ count: t.count, attendees: t.attendees }).toEqual({ count: 2, attendees: 3 });
    const mean = fromVectorColumn((await recomputed(id))!);
    expect(cosine(t.sum!, mean)).toBeCloseTo(1, 6);

    // A taste vector that changes while inside moves the room; leaving takes exactly it out.
    await setTaste(ctx.db, people.fan.id, taste(7));
    expect(cosine((await roomTaste(id)).sum!, fromVectorColumn((await recomputed(id))!))).toBeCloseTo(1, 6);
    await act(leave, "fan", id, "leave");
    t = await roomTaste(id);
    expect({ count: t.count, attendees: t.attendees }).toEqual({ count: 1, attendees: 2 });
    expect(cosine(t.sum!, taste(0, 0))).toBeCloseTo(1, 5);

    const events = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE user_id = $1 AND kind = 'join_room' AND target_id = $2`,
      [people.fan.id, id],
    );
    expect(events[0].n).toBe(1);

    const room = await call(detail, "viewer", `/api/v2/rooms/${id}`, { params: { id } });
    expect(room.body).toMatchObject({ title: "Slow cinema", open: true, inside: false, isHost: false });
    expect((room.body.attendees as { displayName: string }[]).map((a) => a.displayName)).toEqual(["host", "quiet"]);

    expect((await act(close, "quiet", id, "close")).status).toBe(403);
    expect((await act(close, "host", id, "close")).status).toBe(200);
    expect((await roomTaste(id)).attendees).toBe(0);
    expect((await act(join, "viewer", id, "join")).body).toMatchObject({ error: { code: "room_closed" } });
  });

  it("ranks live rooms for the viewer with reasons in EN and ES, and never shows one across a block or private uninvited", async () => {
    const shared = await openRoom("host", { title: "Stalker fans", tags: ["film"] });
    await act(join, "fan", shared, "join");
    const blockedInside = await openRoom("stranger", { title: "Blocked inside" });
    await act(join, "blocker", blockedInside, "join");
    await ctx.db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [
      people.blocker.id,
      people.viewer.id,
    ]);
    const blockedHost = await openRoom("far", { title: "Viewer blocked the host" });
    await ctx.db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [
      people.viewer.id,
      people.far.id,
    ]);
    const hiddenHost = await openRoom("hidden", { title: "Hidden host" });
    const secret = await openRoom("close", { title: "Private", visibility: "private" });

    const list = async (locale = "en") => {
      const res = await call(suggested, "viewer", `/api/v2/discovery/rooms?limit=20&locale=${locale}`);
      expect(res.status).toBe(200);
      return res.body.rooms as { id: string; title: string; reasons: string[]; attendees: number }[];
    };
    let rooms = await list();
    const ids = rooms.map((r) => r.id);
    expect(ids).toContain(shared);
    for (const hidden of [blockedInside, blockedHost, hiddenHost, secret]) expect(ids).not.toContain(hidden);
    expect(rooms.find((r) => r.id === shared)).toMatchObject({
      attendees: 2,
      reasons: ["1 person who loves Stalker is here", "Matches your taste"],
    });
    expect((await list("es")).find((r) => r.id === shared)!.reasons[0]).toBe(
      "Aquí hay alguien a quien le encanta Stalker",
    );
    // The same rule guards the room itself.
    expect(
      (await call(detail, "viewer", `/api/v2/rooms/${blockedInside}`, { params: { id: blockedInside } })).status,
    ).toBe(404);
    expect((await act(join, "viewer", secret, "join")).status).toBe(404);

    // Someone who cannot see the private room gets a 404; the host can invite, and the invitee then sees the private room first.
    const body = { userId: people.viewer.id };
    const outsider = await call(invite, "fan", `/api/v2/rooms/${secret}/invitations`, {
      method: "POST",
      body,
      params: { id: secret },
    });
    expect(outsider.status).toBe(404);
    const invited = await call(invite, "close", `/api/v2/rooms/${secret}/invitations`, {
      method: "POST",
      body,
      params: { id: secret },
    });
    expect(invited.status).toBe(201);
    rooms = await list();
    expect(rooms.find((r) => r.id === secret)?.reasons[0]).toBe("You're invited");
    expect((await act(join, "viewer", secret, "join")).status).toBe(200);
  });

  it("proposes active people close to the room's taste, from pgvector and from the warm index alike", async () => {
    const id = await openRoom("host", { title: "Invite test" });
    await act(join, "quiet", id, "join");
    const ask = async (who = "host") => {
      const res = await call(inviteList, who, `/api/v2/discovery/rooms/${id}/invite?limit=10`, { params: { id } });
      return res.body as { people: { displayName: string; score: number }[]; source: string };
    };
    vi.stubEnv("MESH_ROOMS_INVITE_INDEX", "off");
    const fromDb = await ask();
    expect(fromDb.source).toBe("database");
    // Not: far and fan (taste), idle (not seen lately), hidden (not discoverable), those inside
    // (host, quiet). People who joined or opened a room lately count as seen.
    const names = fromDb.people.map((p) => p.displayName).sort();
    expect(names).toContain("close");
    for (const out of ["far", "idle", "hidden", "quiet", "host", "fan"]) expect(names).not.toContain(out);
    for (const p of fromDb.people) expect(p.score).toBeGreaterThan(0.7);

    vi.stubEnv("MESH_ROOMS_INVITE_INDEX", "on");
    await activeIndexFor(ctx.db).refresh();
    const fromIndex = await ask();
    expect(fromIndex.source).toBe("index");
    expect(fromIndex.people.map((p) => p.displayName).sort()).toEqual(names);

    // A block either way with anyone inside keeps a person out; so does an invitation already sent.
    await ctx.db.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [
      people.close.id,
      people.quiet.id,
    ]);
    const invitee = names.find((n) => n !== "close")!;
    await call(invite, "host", `/api/v2/rooms/${id}/invitations`, {
      method: "POST",
      body: { userId: people[invitee].id },
      params: { id },
    });
    const after = (await ask()).people.map((p) => p.displayName);
    expect(after).not.toContain("close");
    expect(after).not.toContain(invitee);
    const outsider = await call(inviteList, "far", `/api/v2/discovery/rooms/${id}/invite`, { params: { id } });
    expect(outsider.status).toBe(403);
  });
});
