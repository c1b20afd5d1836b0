import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKnnBench } from "../../bench/knn";
import { writeReport } from "../../bench/lib/report";
import { summarise } from "../../bench/lib/stats";
import { migrate } from "../../lib/db/migrate";
import { openPglite } from "../../lib/db/pglite";
import type { Db } from "../../lib/db/types";

describe("benchmark harness", () => {
  it("summarises latencies with nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    expect(summarise(samples)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, mean: 50.5 });
  });

  it("writes a JSON report and a Markdown table", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-bench-"));
    writeReport(
      { name: "demo", title: "Demo", notes: ["a note"], columns: ["a", "b"], rows: [[1, "x"]], data: { a: 1 } },
      dir,
    );
    expect(JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")).data).toEqual({ a: 1 });
    expect(readFileSync(join(dir, "demo.md"), "utf8")).toContain("| a | b |\n| --- | --- |\n| 1 | x |");
  });

  // The one unit suite with a database: migrating PGlite measured 17 s on a loaded 2-core machine,
  // and the bench (600 vectors, twice) 3 s; the unit limits (10 s) are for tests without one.
  describe("k-NN benchmark at a tiny scale", { timeout: 60_000 }, () => {
    let db: Db;
    beforeAll(async () => {
      db = await openPglite();
      await migrate(db);
    }, 120_000);
    afterAll(() => db.close());

    it("uses the HNSW index and measures recall against the exact scan", async () => {
      const result = await runKnnBench(db, 600, { queries: 5, k: 20 });
      expect(result.annUsesIndex).toBe(true);
      expect(result.ann.n).toBe(5);
      expect(result.exact.n).toBe(5);
      expect(result.recallAtK).toBeGreaterThan(0.5);
      expect(result.recallAtK).toBeLessThanOrEqual(1);
      const again = await runKnnBench(db, 600, { queries: 5, k: 20 });
      expect(again.reusedData).toBe(true);
    });
  });
});
