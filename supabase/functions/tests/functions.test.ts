// deno test: the Edge Functions as Supabase runs them (Deno), against a real PostgreSQL
// (TEST_DATABASE_URL) and a fake Spotify on 127.0.0.1. Run from the repository root:
//   npx deno test -A supabase/functions/tests/
// node:assert, not jsr:@std/assert: nothing may be downloaded at test time.
import assert from "node:assert/strict";
import postgres from "postgres";
import { sealTokens } from "../../../lib/connectors/spotify/oauth.ts";
import { parseKeyRing } from "../../../lib/crypto/secret-box.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { openPostgres } from "../../../lib/db/postgres.ts";
import { seedDemo } from "../../../lib/demo/seed.ts";
import { findDemoUser } from "../../../lib/users/demo.ts";
import { startFakeSpotify } from "../../../tests/helpers/fake-spotify.ts";
import { handler as connectorSync } from "../connector-sync/index.ts";
import { handler as reembed } from "../re-embed/index.ts";

const SECRET = "edge-function-test-secret";
Deno.env.set("CRON_SECRET", SECRET);

const post = (fn: (r: Request) => Promise<Response>, body: unknown, auth = `Bearer ${SECRET}`) =>
  fn(
    new Request("http://localhost/fn", {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

Deno.test("refuses callers without the shared secret, and bad input, before touching a database", async () => {
  Deno.env.delete("DATABASE_URL");
  for (const fn of [connectorSync, reembed]) {
    assert.equal((await post(fn, { userId: crypto.randomUUID() }, "Bearer wrong")).status, 401);
    const bad = await post(fn, { userId: "not-a-uuid" });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, "userId");
    assert.equal((await fn(new Request("http://localhost/fn"))).status, 405);
  }
});

const testUrl = Deno.env.get("TEST_DATABASE_URL");
if (!testUrl && Deno.env.get("CI") === "true") throw new Error("CI=true but TEST_DATABASE_URL is not set");

Deno.test({
  name: "re-embeds a user and syncs their Spotify library on a real database",
  ignore: !testUrl,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const name = `mesh_deno_${crypto.randomUUID().slice(0, 8)}`;
    const admin = postgres(testUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template0`);
    const url = new URL(testUrl!);
    url.pathname = `/${name}`;
    const db = openPostgres(url.toString(), { max: 2 });
    const spotify = await startFakeSpotify();
    try {
      await migrate(db);
      await seedDemo(db, { users: 12, seed: 5 });
      const userId = (await findDemoUser(db))!;
      Deno.env.set("DATABASE_URL", url.toString());

      const res = await post(reembed, { userId });
      assert.equal(res.status, 200);
      const [taste] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM user_taste_vectors WHERE user_id = $1",
        [userId],
      );
      assert.equal(taste.n, 1);

      const keys = `k1:${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
      Deno.env.set("MESH_ENCRYPTION_KEYS", keys);
      Deno.env.set("SPOTIFY_CLIENT_ID", "mesh-test");
      Deno.env.set("SPOTIFY_ACCOUNTS_URL", spotify.url);
      Deno.env.set("SPOTIFY_API_URL", spotify.url);
      await db.query(
        "INSERT INTO connector_accounts (user_id, service, tokens_encrypted, status) VALUES ($1, 'spotify', $2, 'queued')",
        [userId, await sealTokens(parseKeyRing(keys), userId, spotify.connect())],
      );
      const sync = await post(connectorSync, { userId });
      assert.equal(sync.status, 200);
      const counts = await sync.json();
      assert(counts.imported > 0, `imported ${counts.imported}`);
      const [state] = await db.query<{ status: string }>("SELECT status FROM connector_accounts WHERE user_id = $1", [
        userId,
      ]);
      assert.equal(state.status, "idle");
    } finally {
      await spotify.close();
      await db.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  },
});
