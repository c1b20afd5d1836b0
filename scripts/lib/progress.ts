import { Presets, SingleBar, type Options } from "cli-progress";

/** Seconds between lines when output is not a terminal. */
const NOT_TTY_EVERY_MS = 10_000;

/**
 * The progress bar of every long-running command. When output is not a terminal (CI logs,
 * `| tee`), cli-progress prints nothing by default; here it prints a line every 10 seconds instead.
 * cli-progress prints those lines from a timer, and a loop of PGlite queries starves timers (each
 * query resolves without yielding to them), so an update also prints when the last line is that old.
 */
export function progressBar(format: string, options: Options = {}): SingleBar {
  const bar = new SingleBar(
    { format, noTTYOutput: true, notTTYSchedule: NOT_TTY_EVERY_MS, ...options },
    Presets.shades_classic,
  );
  const stream = options.stream ?? process.stderr;
  if (!("isTTY" in stream && stream.isTTY)) {
    let printedAt = Date.now();
    bar.on("redraw-post", () => (printedAt = Date.now()));
    bar.on("update", () => {
      if (Date.now() - printedAt >= NOT_TTY_EVERY_MS) bar.render();
    });
  }
  return bar;
}

/** A started bar for `total` steps, labelled, with an ETA (the benchmarks' loads and query loops). */
export function startBar(label: string, total: number): SingleBar {
  const bar = progressBar(`${label} {bar} {value}/{total} | ETA {eta_formatted}`);
  bar.start(total, 0);
  return bar;
}
