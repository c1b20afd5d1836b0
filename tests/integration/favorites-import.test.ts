import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as importRoute } from "../../app/api/v2/favorites/import/[service]/route";
import { GET as statusRoute } from "../../app/api/v2/discovery/favorites/status/route";
import { favoritesStatusResponse, importResponse } from "../../api/favorites";
import { signAccessToken } from "../../lib/auth/tokens";
import { resolveMedia } from "../../lib/media/resolve";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const FIXTURES = resolve(import.meta.dirname, "../../../shared/fixtures");

function upload(service: string, token: string, body: BodyInit, name: string): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([body as BlobPart]), name);
  const request = new Request(`http://localhost/api/v2/favorites/import/${service}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return importRoute(request, { params: Promise.resolve({ service }) });
}

describeEachDriver("favorites import (Letterboxd, Goodreads)", (ctx) => {
  let undo: () => void;
  let user = "";
  let token = "";

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", "test-secret-for-favorites-import-0123456789");
    undo = serveRoutesFrom(ctx.db);
    user = await createUser(ctx.db, { displayName: "Importer" });
    token = await signAccessToken(user);
  });
  afterAll(() => {
    undo();
    vi.unstubAllEnvs();
  });

  const favorites = (userId: string) =>
    ctx.db.query<{
      media_id: string;
      title: string;
      year: number | null;
      rating: string | null;
      liked: boolean;
      play_count: number;
      external_uri: string | null;
      updated_at: string;
    }>(
      `SELECT f.media_id, m.title, m.year, f.rating::text AS rating, f.liked, f.play_count, f.external_uri,
              f.updated_at::text AS updated_at
       FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
       WHERE f.user_id = $1 ORDER BY f.media_id, f.source`,
      [userId],
    );

  it("imports the Letterboxd ZIP as one favorite per film, with ratings, likes, rewatches and links", async () => {
    const res = await upload("letterboxd", token, readFileSync(`${FIXTURES}/letterboxd-export.zip`), "letterboxd.zip");
    expect(res.status).toBe(200);
    const body = importResponse.parse(await res.json());
    const rows = await favorites(user);
    const byTitle = (t: string) => rows.filter((r) => r.title === t);

    // "Blade Runner" (1982) and its Final Cut (2007) are one film; the 2049 sequel is another.
    expect(byTitle("Blade Runner")).toHaveLength(1);
    expect(byTitle("Blade Runner")[0]).toMatchObject({ year: 1982, liked: true });
    expect(byTitle("Blade Runner 2049")).toHaveLength(1);
    // Half stars are kept as given, including the lowest one.
    expect(byTitle("Parasite")[0].rating).toBe("0.5");
    expect(byTitle("Solaris")[0].rating).toBe("2.5");
    // Rewatches are counted from the diary; film links come from ratings/watched, not diary entries.
    expect(byTitle("Heat")[0].play_count).toBe(2);
    expect(byTitle("Heat")[0].rating).toBe("5.0");
    expect(byTitle("Amélie")[0]).toMatchObject({ liked: true, external_uri: "https://boxd.it/2aVS" });
    expect(byTitle("千と千尋の神隠し")[0]).toMatchObject({ liked: true, play_count: 2 });
    expect(byTitle("The Good, the Bad and the Ugly")[0]).toMatchObject({ liked: true, rating: "4.5" });
    expect(byTitle('Maggie Simpson in "The Longest Daycare"')).toHaveLength(1);
    // Not favorites: the watchlist.
    expect(byTitle("Stalker")).toHaveLength(0);
    expect(body.counts.imported).toBe(rows.length);

    const jobs = await ctx.db.query(`SELECT id FROM jobs WHERE kind = 're-embed-user' AND payload ->> 'userId' = $1`, [
      user,
    ]);
    expect(jobs).toHaveLength(1);
  });

  it("changes nothing when the same export is imported again", async () => {
    const before = await favorites(user);
    const media = await ctx.db.query(`SELECT count(*)::int AS n FROM canonical_media`);
    const res = await upload("letterboxd", token, readFileSync(`${FIXTURES}/letterboxd-export.zip`), "export.zip");
    expect(res.status).toBe(200);
    expect(await favorites(user)).toEqual(before);
    expect(await ctx.db.query(`SELECT count(*)::int AS n FROM canonical_media`)).toEqual(media);
  });

  it("merges a film imported from a lone CSV with the same film from the ZIP (Amelie = Amélie)", async () => {
    const csv = "Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Amelie,2001,https://boxd.it/2aVS,5\n";
    const res = await upload("letterboxd", token, csv, "ratings.csv");
    expect(res.status).toBe(200);
    const amelie = (await favorites(user)).filter((r) => r.year === 2001 && /am[eé]lie/i.test(r.title));
    expect(amelie).toHaveLength(1);
    expect(amelie[0].rating).toBe("5.0");
  });

  it("reads a CSV with a BOM, CRLF line ends, quotes and commas in titles", async () => {
    const other = await createUser(ctx.db);
    const csv =
      '\uFEFFDate,Name,Year,Letterboxd URI,Rating\r\n2023-05-20,"The Good, the Bad and the Ugly",1966,https://boxd.it/28Zk,4.5\r\n' +
      '2024-12-03,"Maggie Simpson in ""The Longest Daycare""",2012,https://boxd.it/3rKa,4\r\n';
    const res = await upload("letterboxd", await signAccessToken(other), csv, "ratings.csv");
    expect(res.status).toBe(200);
    const titles = (await favorites(other)).map((r) => r.title).sort();
    expect(titles).toEqual(['Maggie Simpson in "The Longest Daycare"', "The Good, the Bad and the Ugly"]);
  });

  it("keeps different films with one title and different years apart", async () => {
    const other = await createUser(ctx.db);
    const csv =
      "Date,Name,Year,Letterboxd URI\n2023-01-01,Heat,1995,https://boxd.it/a\n2023-01-02,Heat,1986,https://boxd.it/b\n";
    expect((await upload("letterboxd", await signAccessToken(other), csv, "watched.csv")).status).toBe(200);
    expect((await favorites(other)).map((r) => r.year).sort()).toEqual([1986, 1995]);
  });

  it("imports the Goodreads export: ISBN ids, unrated and to-read rules, series suffixes", async () => {
    const reader = await createUser(ctx.db);
    const res = await upload(
      "goodreads",
      await signAccessToken(reader),
      readFileSync(`${FIXTURES}/goodreads_library_export.csv`),
      "goodreads_library_export.csv",
    );
    expect(res.status).toBe(200);
    const body = importResponse.parse(await res.json());
    expect(body.counts).toMatchObject({ rows: 9, imported: 6, skipped: 3 });
    const rows = await favorites(reader);
    const hunger = rows.find((r) => r.title === "The Hunger Games")!;
    expect(hunger).toMatchObject({ media_id: "isbn:9780439023481", rating: "4.0", play_count: 2, year: 2008 });
    expect(hunger.external_uri).toBe("https://www.goodreads.com/book/show/2767052");
    expect(rows.find((r) => r.title === "Dune")).toMatchObject({ media_id: "isbn:9780441013593", year: 1965 });
    // currently-reading counts although unrated; its rating stays empty rather than 0.
    expect(rows.find((r) => r.title === "The Name of the Wind")).toMatchObject({ rating: null, play_count: 0 });
    expect(rows.find((r) => r.title === "ノルウェイの森")).toBeDefined();
    expect(rows.map((r) => r.title)).not.toContain("Cien años de soledad");

    // The 2019 edition of Dune (another ISBN) is the same work: it resolves to the same record.
    const edition = await resolveMedia(ctx.db, {
      mediaType: "book",
      title: "Dune",
      year: 1965,
      externalId: "isbn:9780593099322",
      metadata: { creators: ["Frank Herbert"] },
    });
    expect(edition.id).toBe("isbn:9780441013593");
  });

  it("reports each source's counts and last run, and that taste is stale", async () => {
    const res = await statusRoute(
      new Request("http://localhost/api/v2/discovery/favorites/status", {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(res.status).toBe(200);
    const body = favoritesStatusResponse.parse(await res.json());
    const letterboxd = body.sources.find((s) => s.source === "letterboxd")!;
    expect(letterboxd.state).toBe("idle");
    expect(letterboxd.counts.imported).toBeGreaterThan(0);
    expect(letterboxd.lastProcessedAt).not.toBeNull();
    expect(body.sources.find((s) => s.source === "goodreads")!.state).toBe("never");
    expect(body.taste).toMatchObject({ computedAt: null, stale: true, queued: true });
  });

  describeBadInput();

  function describeBadInput() {
    const cases: [string, string, () => BodyInit, string, number, string][] = [
      [
        "a file that is not CSV",
        "letterboxd",
        () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
        "a.csv",
        415,
        "file",
      ],
      ["a CSV with a wrong header", "goodreads", () => "Title,Stars\nDune,5\n", "goodreads.csv", 422, "file"],
      [
        "a truncated CSV",
        "letterboxd",
        () => 'Date,Name,Year,Letterboxd URI,Rating\n2023-01-01,Heat,1995,https://boxd.it/x,4\n2023-01-02,"Solaris,19',
        "ratings.csv",
        422,
        "file",
      ],
      [
        "a ZIP bomb",
        "letterboxd",
        () => zipSync({ "ratings.csv": new Uint8Array(60 * 1024 * 1024) }),
        "x.zip",
        422,
        "file",
      ],
      ["a 50 MB file", "goodreads", () => new Uint8Array(50 * 1024 * 1024).fill(0x41), "big.csv", 413, "file"],
      ["a wrong service name", "netflix", () => "Date,Name\n", "a.csv", 400, "service"],
      [
        "a rating of 7",
        "letterboxd",
        () =>
          "Date,Name,Year,Letterboxd URI,Rating\n2023-01-01,Heat,1995,https://boxd.it/x,4\n2023-01-02,Se7en,1995,https://boxd.it/y,7\n",
        "ratings.csv",
        422,
        "file",
      ],
    ];
    for (const [what, service, body, name, status, field] of cases) {
      it(`answers ${status} naming "${field}" for ${what}, and writes nothing`, async () => {
        const victim = await createUser(ctx.db);
        const media = await ctx.db.query(`SELECT count(*)::int AS n FROM canonical_media`);
        const res = await upload(service, await signAccessToken(victim), body(), name);
        expect(res.status).toBe(status);
        const json = (await res.json()) as { error: { field?: string; message: string } };
        expect(json.error.field).toBe(field);
        expect(json.error.message).toMatch(new RegExp(`^${field}|${name}`));
        expect(await favorites(victim)).toEqual([]);
        expect(await ctx.db.query(`SELECT count(*)::int AS n FROM canonical_media`)).toEqual(media);
        const touched = await ctx.db.query(`SELECT 1 FROM connector_accounts WHERE user_id = $1`, [victim]);
        expect(touched).toEqual([]);
      });
    }
  }
});
