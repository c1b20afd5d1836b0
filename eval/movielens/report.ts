import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SplitReport } from "./evaluate";

export interface MovieLensReport {
  generatedAt: string;
  dataset: string;
  driver: string;
  seed: number;
  splits: SplitReport[];
}

const f3 = (x: number | null) => (x === null ? "-" : Number.isFinite(x) ? x.toFixed(3) : String(x));

function splitMarkdown(s: SplitReport): string[] {
  return [
    `#### ${s.split} split (${s.evaluated} of ${s.people} people with a held-out film rated >= 4; ${s.meanRelevantPerPerson.toFixed(1)} each on average)`,
    "",
    "| neighbours | Precision@10 | Recall@10 | NDCG@10 | coverage | gender disparate impact | shares with cosine top 50 |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...s.systems.map(
      (m) =>
        `| ${m.system} | ${f3(m.precisionAt10)} | ${f3(m.recallAt10)} | ${f3(m.ndcgAt10)} | ${f3(m.coverage)} | ${f3(m.genderDisparateImpact)} | ${m.overlapWithCosine === null ? "-" : `${Math.round(m.overlapWithCosine * 100)}%`} |`,
    ),
    "",
    `- Served / cosine k-NN NDCG@10: **${f3(s.checks.servedOverCosine)}** (target >= ${s.checks.targetOverCosine}: ${s.checks.servedOverCosine >= s.checks.targetOverCosine ? "met" : "**not met**"}); served / exact k-NN: **${f3(s.checks.servedOverExact)}** (target >= ${s.checks.targetOverExact}: ${s.checks.servedOverExact >= s.checks.targetOverExact ? "met" : "**not met**"}).`,
    `- ANN recall of the served taste stage (discovery_ann, HNSW forced vs exact scan, same filters): ${s.annRecall.map((a) => `@${a.k} ${f3(a.recall)} (${a.viewers} viewers)`).join(", ")}.`,
    `- Imports ${s.importSeconds.toFixed(1)} s (${s.trainingFilms} training films became ${s.catalogueTitles} catalogue titles); batch jobs ${Object.entries(
      s.batchSeconds,
    )
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(", ")}; evaluation ${s.evalSeconds.toFixed(1)} s.`,
    "",
  ];
}

export function movieLensMarkdown(r: MovieLensReport): string {
  return [
    `### Taste twins on real ratings: MovieLens 100K (${r.driver})`,
    "",
    "Data: MovieLens 100K, GroupLens Research, University of Minnesota (research use; read from ../shared, never copied here).",
    "Each person's training ratings imported as a Letterboxd ratings.csv through the importer, batch jobs run, then every neighbour finder feeds the same user-based collaborative filter: the first 50 neighbours, unweighted, each voting for the training films it rated >= 4 that the person has not rated; top 10 by votes, ties by popularity; scored against the held-out films rated >= 4.",
    "",
    ...r.splits.flatMap(splitMarkdown),
    "- Gender disparate impact: each gender's share of position-weighted appearances in others' neighbour lists over its share of people, smaller / larger (0.8-1.25 accepted). Coverage: share of training films recommended to someone.",
    `- Seed ${r.seed}; run ${r.generatedAt}.`,
    "",
  ].join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A grouped bar chart of NDCG@10 per neighbour finder, one colour per split. */
export function movieLensSvg(r: MovieLensReport): string {
  const systems = r.splits[0]?.systems.map((s) => s.system) ?? [];
  const colours = ["#3b6ea8", "#d08a2e", "#6a9e4f"];
  const max = Math.max(0.05, ...r.splits.flatMap((s) => s.systems.map((m) => m.ndcgAt10))) * 1.15;
  const rowH = 18 * r.splits.length + 14;
  const left = 200;
  const width = 640;
  const barW = width - left - 60;
  const height = 40 + rowH * systems.length + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="20" font-size="14">NDCG@10 by neighbour finder, MovieLens 100K (GroupLens)</text>`,
  ];
  systems.forEach((name, i) => {
    const y0 = 36 + i * rowH;
    parts.push(`<text x="${left - 8}" y="${y0 + rowH / 2}" text-anchor="end">${esc(name)}</text>`);
    r.splits.forEach((s, j) => {
      const v = s.systems.find((m) => m.system === name)?.ndcgAt10 ?? 0;
      const w = (v / max) * barW;
      const y = y0 + j * 18;
      parts.push(
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="15" fill="${colours[j % colours.length]}"/>`,
        `<text x="${(left + w + 4).toFixed(1)}" y="${y + 12}">${v.toFixed(3)}</text>`,
      );
    });
  });
  r.splits.forEach((s, j) => {
    const x = left + j * 120;
    parts.push(
      `<rect x="${x}" y="${height - 22}" width="12" height="12" fill="${colours[j % colours.length]}"/>`,
      `<text x="${x + 16}" y="${height - 12}">${esc(s.split)} split</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** Writes <dir>/eval-ml-100k.json, .md and .svg; returns the Markdown. */
export function writeMovieLensReport(report: MovieLensReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const md = movieLensMarkdown(report);
  writeFileSync(join(dir, "eval-ml-100k.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, "eval-ml-100k.md"), `${md}\n![NDCG@10 by neighbour finder](eval-ml-100k.svg)\n`);
  writeFileSync(join(dir, "eval-ml-100k.svg"), movieLensSvg(report));
  return md;
}
