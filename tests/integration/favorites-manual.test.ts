import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { DELETE as deleteRoute } from "../../app/api/v2/favorites/[mediaId]/route";
import { POST as manualRoute } from "../../app/api/v2/favorites/manual/route";
import { GET as listRoute } from "../../app/api/v2/favorites/route";
import { GET as searchRoute } from "../../app/api/v2/media/search/route";
import { listFavoritesResponse, manualFavoriteResponse } from "../../api/favorites";
import { mediaSearchResponse } from "../../api/media";
import { signAccessToken } from "../../lib/auth/tokens";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

describeEachDriver("manual favorites, listing and title search", (ctx) => {
  let undo: () => void;
  let user = "";
  let auth: Record<string, string> = {};

  const manual = (body: unknown) =>
    manualRoute(
      new Request("http://localhost/api/v2/favorites/manual", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  const list = (query = "") => listRoute(new Request(`http://localhost/api/v2/favorites${query}`, { headers: auth }));
  const search = (query: string) =>
    searchRoute(new Request(`http://localhost/api/v2/media/search${query}`, { headers: auth }));

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", "test-secret-for-favorites-manual-0123456789");
    undo = serveRoutesFrom(ctx.db);
    user = await createUser(ctx.db);
    auth = { authorization: `Bearer ${await signAccessToken(user)}` };
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title, year) VALUES
         ('imdb:tt0083658', 'film', 'Blade Runner', 1982), ('imdb:tt1856101', 'film', 'Blade Runner 2049', 2017),
         ('isbn:9780441013593', 'book', 'Dune', 1965), ('imdb:tt1160419', 'film', 'Dune', 2021)`,
    );
    await ctx.db.query(
      `INSERT INTO media_aliases (alias_norm, media_id) VALUES ('blade runner', 'imdb:tt0083658'),
         ('blade runner 2049', 'imdb:tt1856101'), ('dune', 'isbn:9780441013593'), ('dune', 'imdb:tt1160419')`,
    );
  });
  afterAll(() => {
    undo();
    vi.unstubAllEnvs();
  });

  it("adds a favorite by title + type + year onto the existing catalogue record, then edits it", async () => {
    const res = await manual({ title: "Blade Runner (Director's Cut)", mediaType: "film", year: 1992, rating: 4.5 });
    expect(res.status).toBe(201);
    expect(manualFavoriteResponse.parse(await res.json()).mediaId).toBe("imdb:tt0083658");
    const edit = await manual({ mediaId: "imdb:tt0083658", rating: 5, liked: true });
    expect(edit.status).toBe(200);
    const body = listFavoritesResponse.parse(await (await list()).json());
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ mediaId: "imdb:tt0083658", title: "Blade Runner", rating: 5, liked: true });
    expect(body.items[0].sources).toEqual(["manual"]);
  });

  it("creates a local record for a title the catalogue does not know, found by search afterwards", async () => {
    const res = await manual({ title: "Nadie puede ser tan malo haciendo café", mediaType: "film", year: 2018 });
    expect(res.status).toBe(201);
    const { mediaId } = manualFavoriteResponse.parse(await res.json());
    expect(mediaId).toMatch(/^local:film:/);
    const hits = mediaSearchResponse.parse(await (await search("?q=nadie%20puede")).json()).items;
    expect(hits[0].mediaId).toBe(mediaId);
  });

  it("ranks prefix matches first and filters by type", async () => {
    const hits = mediaSearchResponse.parse(await (await search("?q=blade")).json()).items;
    expect(hits.map((h) => h.title)).toEqual(["Blade Runner", "Blade Runner 2049"]);
    const books = mediaSearchResponse.parse(await (await search("?q=Dune&type=book")).json()).items;
    expect(books.map((h) => h.mediaId)).toEqual(["isbn:9780441013593"]);
    const typo = mediaSearchResponse.parse(await (await search("?q=blade%20runer")).json()).items;
    expect(typo[0]?.mediaId).toBe("imdb:tt0083658");
  });

  it("pages through favorites with a cursor, newest first, without repeats", async () => {
    await manual({ mediaId: "imdb:tt1856101" });
    await manual({ mediaId: "isbn:9780441013593", rating: 3 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = listFavoritesResponse.parse(
        await (await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json(),
      );
      seen.push(...page.items.map((i) => i.mediaId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen[0]).toBe("isbn:9780441013593");
  });

  it("removes a favorite, and answers 404 for one that is not there", async () => {
    const del = (id: string) =>
      deleteRoute(new Request(`http://localhost/api/v2/favorites/${id}`, { method: "DELETE", headers: auth }), {
        params: Promise.resolve({ mediaId: id }),
      });
    expect((await del("imdb:tt1856101")).status).toBe(204);
    expect((await del("imdb:tt1856101")).status).toBe(404);
    const ids = listFavoritesResponse.parse(await (await list()).json()).items.map((i) => i.mediaId);
    expect(ids).not.toContain("imdb:tt1856101");
  });

  it("rejects a rating of 7, an unknown id and a missing title with 4xx naming the field, writing nothing", async () => {
    const before = await ctx.db.query(
      `SELECT media_id, rating::text FROM favorite_items WHERE user_id = $1 ORDER BY 1`,
      [user],
    );
    const seven = await manual({ mediaId: "imdb:tt0083658", rating: 7 });
    expect(seven.status).toBe(400);
    expect(((await seven.json()) as { error: { message: string } }).error.message).toMatch(/rating/);
    const unknown = await manual({ mediaId: "imdb:tt9999999", rating: 3 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe("mediaId");
    expect((await manual({ mediaType: "film" })).status).toBe(400);
    expect((await list("?limit=0")).status).toBe(400);
    expect((await list("?cursor=nonsense")).status).toBe(400);
    expect((await search("?q=")).status).toBe(400);
    const after = await ctx.db.query(
      `SELECT media_id, rating::text FROM favorite_items WHERE user_id = $1 ORDER BY 1`,
      [user],
    );
    expect(after).toEqual(before);
  });

  it("never lists another user's favorites and needs a token", async () => {
    const other = await createUser(ctx.db);
    const res = await listRoute(
      new Request("http://localhost/api/v2/favorites", {
        headers: { authorization: `Bearer ${await signAccessToken(other)}` },
      }),
    );
    expect(listFavoritesResponse.parse(await res.json()).items).toEqual([]);
    expect((await listRoute(new Request("http://localhost/api/v2/favorites"))).status).toBe(401);
  });
});
