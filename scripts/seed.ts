// npm run seed -- --users N [--seed S]: adds N demo users (profiles, favorites, planted taste
// communities) and the generated catalogue, to DATABASE_URL or the embedded database.
import { parseArgs } from "node:util";
import { openConfiguredDb } from "../lib/runtime/database";
import { databaseUrl } from "../lib/db/config";
import { seedDemo } from "../lib/demo/seed";
import { runningLocalServer } from "../lib/runtime/local-server";
import { runMain } from "./lib/main";
import { progressBar } from "./lib/progress";

await runMain("seed", async () => {
  const { values } = parseArgs({ options: { users: { type: "string", default: "2000" }, seed: { type: "string" } } });
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1) throw new Error("--users must be a whole number >= 1");
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (!databaseUrl() && runningLocalServer()) {
    throw new Error(
      "the embedded server (npm run dev) owns .data/ now: stop it first, or seed a real database via DATABASE_URL",
    );
  }
  // The script seeds what it was asked for, not the embedded first-run set on top.
  const db = await openConfiguredDb({ seedDemo: false });
  const bar = progressBar("seeding {bar} {value}/{total} users | ETA {eta_formatted}");
  bar.start(users, 0);
  const result = await seedDemo(db, { users, seed, shop: true, onProgress: (done) => bar.update(done) });
  bar.stop();
  console.log(
    `seeded ${result.users} users, ${result.favorites} favorites, ${result.rooms} live rooms; catalogue of ${result.titles} titles (${db.kind})`,
  );
  await db.close();
});
