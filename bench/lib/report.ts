import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";

export interface BenchReport {
  name: string;
  title: string;
  /** What was measured and how, for the reader of the table. */
  notes: string[];
  columns: string[];
  rows: (string | number)[][];
  /** Everything measured, machine-readable. */
  data: unknown;
}

export const RESULTS_DIR = join(process.cwd(), "bench", "results");

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    // Other work on the machine skews every figure: the 1-minute load average when the report was written.
    load: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

export function toMarkdown(report: BenchReport): string {
  const header = `| ${report.columns.join(" | ")} |\n| ${report.columns.map(() => "---").join(" | ")} |`;
  const body = report.rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
  const m = machine();
  return [
    `### ${report.title}`,
    "",
    header,
    body,
    "",
    ...report.notes.map((n) => `- ${n}`),
    `- Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memGiB} GiB, Node ${m.node}; load average ${m.load} when written; run ${new Date().toISOString()}.`,
    "",
  ].join("\n");
}

/** Writes bench/results/<name>.json and <name>.md; returns the Markdown. */
export function writeReport(report: BenchReport, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const md = toMarkdown(report);
  writeFileSync(
    join(dir, `${report.name}.json`),
    JSON.stringify({ ...report, machine: machine(), at: new Date().toISOString() }, null, 2),
  );
  writeFileSync(join(dir, `${report.name}.md`), md);
  return md;
}

/**
 * The results an earlier run of report `name` measured on drivers other than `measured`: a run
 * limited to one driver (`--driver`) keeps the other driver's figures in the table instead of
 * dropping them. Their own run dates stay in the JSON they came from (`at` per entry).
 */
export function earlierResults<T extends { driver: string }>(name: string, measured: string[], dir = RESULTS_DIR): T[] {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return [];
  const previous = JSON.parse(readFileSync(file, "utf8")) as { data?: unknown; at?: string };
  if (!Array.isArray(previous.data)) return [];
  return (previous.data as (T & { at?: string })[])
    .filter((r) => typeof r?.driver === "string" && !measured.includes(r.driver))
    .map((r) => ({ ...r, at: r.at ?? previous.at }));
}
