import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FEED_FEATURES } from "../../lib/streams/feed/features";
import { K, type StreamsReport } from "./run";

const f3 = (x: number) => x.toFixed(3);
const pct = (a: number, b: number) => `${a >= b ? "+" : ""}${(((a - b) / b) * 100).toFixed(1)}%`;

export function streamsMarkdown(r: StreamsReport): string {
  const by = (name: string) => r.systems.find((s) => s.system.startsWith(name))!;
  const candidates = by("candidates only");
  const feed = by("two-stage, trained ranker");
  return [
    "### Live-stream feeds on simulated watch data (`npm run eval -- --scenario streams`)",
    "",
    `${r.creators} creators, ${r.viewers} viewers with hidden preferences (taste cluster, categories, language; used only to decide what they watch, never a feature, never where the pipeline reads), ${r.trainingDays} training days (the first half organic browsing, the second half served the home feed under the default ranker, with position bias), seed ${r.seed}. Held out: day ${r.trainingDays + 1}, each of ${r.heldOutViewers} viewers browses everything live and watches a few streams (unbiased by any system). NDCG@${K}, gains = held-out minutes watched (binary: watched at all). Stage 1, the ranker, its training and the caps are the pipeline's own code (lib/streams/feed, lib/items).`,
    "",
    `| system | NDCG@${K} (minutes) | NDCG@${K} (binary) |`,
    "| --- | --- | --- |",
    ...r.systems.map((s) => `| ${s.system} | ${f3(s.ndcg)} | ${f3(s.binaryNdcg)} |`),
    "",
    `- The ranker over candidates only: **${pct(feed.ndcg, candidates.ndcg)}** (minutes), ${pct(feed.binaryNdcg, candidates.binaryNdcg)} (binary); the target is +10%.`,
    `- Trained on ${r.trainingPairs} watch-time pairs; held-out pairs (${r.heldOutPairs}, whole requests) ordered right: default ${f3(r.pairAccuracy.default)}, trained ${f3(r.pairAccuracy.trained)}.`,
    `- Trained weights: ${FEED_FEATURES.map((f, i) => `${f} ${r.weights[i]}`).join(", ")}.`,
    "- The diversity caps and the exploration slot cost the difference between the last two rows.",
    "",
  ].join("\n");
}

/** Writes <dir>/eval-streams.json and .md; returns the Markdown. */
export function writeStreamsReport(report: StreamsReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const md = streamsMarkdown(report);
  writeFileSync(join(dir, "eval-streams.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, "eval-streams.md"), `${md}\n`);
  return md;
}
