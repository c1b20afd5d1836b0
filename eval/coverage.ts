// npx tsx eval/coverage.ts [users=200] [pageSize=10] [viewers=users]: coverage (the share of
// discoverable people shown at least once) after `viewers` demo people open one page of suggestions,
// without exploration and with exploration rates 0.1 / 0.3 / 0.5 (fixed seeds), each on a fresh
// in-memory database.
import { migrate } from "../lib/db/migrate";
import { openPglite } from "../lib/db/pglite";
import { seedDemo } from "../lib/demo/seed";
import { computeCoverage, COVERAGE_TARGET } from "../lib/discovery/coverage-report";
import { serveCandidates } from "../lib/discovery/pipeline";

const users = Number(process.argv[2] ?? 200);
const pageSize = Number(process.argv[3] ?? 10);
const viewers = Number(process.argv[4] ?? users);
const rows: { explorationRate: number; coverage: number | null; shown: number; discoverable: number }[] = [];
for (const rate of [0, 0.1, 0.3, 0.5]) {
  const db = await openPglite();
  await migrate(db);
  await seedDemo(db, { users, seed: 7 });
  const ids = await db.query<{ id: string }>(`SELECT user_id::text AS id FROM profiles ORDER BY user_id`);
  for (const [i, { id }] of ids.slice(0, viewers).entries()) {
    await serveCandidates(db, id, {
      limit: pageSize,
      offset: 0,
      settings: { explorationRate: rate, explorationSeed: rate > 0 ? 1000 + i : null },
    });
  }
  const c = await computeCoverage(db, new Date(Date.now() + 1000));
  rows.push({ explorationRate: rate, coverage: c.coverage, shown: c.shown, discoverable: c.discoverable });
  await db.close();
}
console.log(
  `coverage after one page of ${pageSize} for ${viewers} of ${users} demo people (target > ${COVERAGE_TARGET}):`,
);
console.table(rows);
