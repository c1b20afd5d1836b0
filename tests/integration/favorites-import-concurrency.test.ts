import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as importRoute } from "../../app/api/v2/favorites/import/[service]/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { openPostgres } from "../../lib/db/postgres";
import { DatabaseBusyError, retryTransient } from "../../lib/db/retry";
import type { Db } from "../../lib/db/types";
import { Rng } from "../../lib/random";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const TITLES = 200;
const PEOPLE = 15;

/** The same 200 films, each person's in another order and written their own way. */
function letterboxdExport(person: number): string {
  const rng = new Rng(1000 + person);
  const order = Array.from({ length: TITLES }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const lines = ["Date,Name,Year,Letterboxd URI,Rating"];
  for (const i of order) {
    // "Éclat" and "eclat", "Film 7" and "FILM 7": variants of one title resolve to one record.
    const name = person % 2 ? `Éclat Number ${i}` : `ECLAT number ${i}`;
    lines.push(
      `2024-05-0${1 + (i % 9)},"${name}",${1950 + (i % 70)},https://boxd.it/c${i.toString(36)},${1 + (i % 5)}`,
    );
  }
  return lines.join("\n") + "\n";
}

function upload(token: string, csv: string): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([csv]), "ratings.csv");
  const request = new Request("http://localhost/api/v2/favorites/import/letterboxd", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return importRoute(request, { params: Promise.resolve({ service: "letterboxd" }) });
}

describeEachDriver("concurrent imports of overlapping exports", (ctx, driver) => {
  let undo: () => void;
  let db: Db;

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", "test-secret-for-import-concurrency-0123456789");
    // As many connections as imports, so all sixteen really run at once on PostgreSQL.
    db = driver === "postgres" ? openPostgres(ctx.url!, { max: 16 }) : ctx.db;
    undo = serveRoutesFrom(db);
  });
  afterAll(async () => {
    undo();
    vi.unstubAllEnvs();
    if (db !== ctx.db) await db.close();
  });

  it("sixteen imports at once all succeed: everyone has exactly their titles, and no title exists twice", async () => {
    const people = await Promise.all(
      Array.from({ length: PEOPLE }, (_, i) => createUser(db, { displayName: `P${i}` })),
    );
    const tokens = await Promise.all(people.map((p) => signAccessToken(p)));
    // Fifteen people, and the first of them importing the same export twice at the same moment.
    const requests = [...people.map((_, i) => [i, i]), [0, 0]];
    const responses = await Promise.all(requests.map(([who, file]) => upload(tokens[who], letterboxdExport(file))));
    const bodies = await Promise.all(responses.map((r) => r.json()));

    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 200));
    for (const body of bodies) expect(body.counts).toMatchObject({ rows: TITLES, imported: TITLES });

    const perPerson = await db.query<{ user_id: string; n: number; titles: number }>(
      `SELECT f.user_id, count(*)::int AS n, count(DISTINCT m.title)::int AS titles
       FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
       WHERE f.user_id = ANY($1::uuid[]) GROUP BY f.user_id`,
      [people],
    );
    expect(perPerson).toHaveLength(PEOPLE);
    for (const row of perPerson) expect(row).toMatchObject({ n: TITLES, titles: TITLES });

    // Every written form of a title leads to one record, and the catalogue holds nothing else.
    const duplicates = await db.query(
      `SELECT alias_norm, count(*) FROM media_aliases GROUP BY alias_norm HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    const [{ films }] = await db.query<{ films: number }>(`SELECT count(*)::int AS films FROM canonical_media`);
    expect(films).toBe(TITLES);
    // One re-embed per person (the double import may queue it twice, never more).
    const [{ jobs }] = await db.query<{ jobs: number }>(
      `SELECT count(*)::int AS jobs FROM jobs WHERE kind = 're-embed-user' AND payload ->> 'userId' = ANY($1::text[])`,
      [people],
    );
    expect(jobs).toBeGreaterThanOrEqual(PEOPLE);
    expect(jobs).toBeLessThanOrEqual(PEOPLE + 1);
  });

  if (driver === "postgres") {
    it("retries a transaction that lost a deadlock, and says busy once the retries are spent", async () => {
      await db.exec(
        `CREATE TABLE deadlock_probe (id int PRIMARY KEY, n int); INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)`,
      );
      // Two transactions that lock the same two rows in opposite orders: PostgreSQL aborts one.
      let attempts = 0;
      const bump = (first: number, second: number) =>
        retryTransient(() => {
          attempts++;
          return db.transaction(async (tx) => {
            await tx.query(`UPDATE deadlock_probe SET n = n + 1 WHERE id = $1`, [first]);
            await tx.query(`SELECT pg_sleep(0.2)`);
            await tx.query(`UPDATE deadlock_probe SET n = n + 1 WHERE id = $1`, [second]);
          });
        });
      await Promise.all([bump(1, 2), bump(2, 1)]);
      expect(attempts).toBe(3);
      const rows = await db.query<{ n: number }>(`SELECT n FROM deadlock_probe ORDER BY id`);
      expect(rows.map((r) => r.n)).toEqual([2, 2]);

      const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });
      let tries = 0;
      const gaveUp = retryTransient(
        async () => {
          tries++;
          throw deadlock;
        },
        { attempts: 3, baseDelayMs: 1 },
      );
      await expect(gaveUp).rejects.toBeInstanceOf(DatabaseBusyError);
      expect(tries).toBe(3);
    });
  }
});
