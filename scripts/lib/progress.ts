import { Presets, SingleBar, type Options } from "cli-progress";

/**
 * The progress bar of every long-running command. When output is not a terminal (CI logs,
 * `| tee`), cli-progress prints nothing by default; here it prints a line every 10 seconds instead.
 */
export function progressBar(format: string, options: Options = {}): SingleBar {
  return new SingleBar({ format, noTTYOutput: true, notTTYSchedule: 10_000, ...options }, Presets.shades_classic);
}

/** A started bar for `total` steps, labelled, with an ETA (the benchmarks' loads and query loops). */
export function startBar(label: string, total: number): SingleBar {
  const bar = progressBar(`${label} {bar} {value}/{total} | ETA {eta_formatted}`);
  bar.start(total, 0);
  return bar;
}
