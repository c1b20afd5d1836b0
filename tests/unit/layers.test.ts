import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const LIB = join(ROOT, "lib");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The folder of lib/ a file belongs to ("db", "jobs", …); a file directly in lib/ is its own ("log"). */
function folderOf(file: string): string {
  return relative(LIB, file)
    .split("/")[0]
    .replace(/\.tsx?$/, "");
}

// Imports that exist at run time: `import type` and `export type` vanish when compiled.
const RUNTIME_IMPORT =
  /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

/** Runtime imports between lib/ folders: folder -> folder -> the files that make the edge. */
export function libFolderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(LIB)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(RUNTIME_IMPORT)) {
      const spec = match[1] ?? match[2];
      const target = spec.startsWith("@/lib/")
        ? join(ROOT, spec.slice(2))
        : spec.startsWith(".")
          ? resolve(dirname(file), spec)
          : null;
      if (!target || !target.startsWith(LIB + "/")) continue;
      const from = folderOf(file);
      const to = folderOf(existsAsFile(target) ? target : join(target, "index.ts"));
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${relative(ROOT, file)} -> ${spec}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

function existsAsFile(path: string): boolean {
  for (const candidate of [path, `${path}.ts`, `${path}.tsx`]) {
    try {
      if (statSync(candidate).isFile()) return true;
    } catch {
      // not this one
    }
  }
  return false;
}

/** Strongly connected groups of more than one folder (Tarjan): folders that import each other. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("lib/ layers", () => {
  it("no folder imports a folder that imports it back (runtime imports)", () => {
    const graph = libFolderGraph();
    const found = cycles(graph).map((group) => ({
      folders: group,
      edges: group.flatMap((a) => group.flatMap((b) => (graph.get(a)?.get(b) ?? []).slice(0, 2))),
    }));
    expect(found).toEqual([]);
  });

  it("the queue, the database layer and outbound calls import no domain", () => {
    const graph = libFolderGraph();
    // outbound/ (timeouts and breakers for external services) is floor too: the worker defers on its errors.
    const floor = new Set(["db", "jobs", "log", "outbound"]);
    for (const folder of ["db", "jobs", "outbound"]) {
      const above = [...(graph.get(folder)?.entries() ?? [])].filter(([to]) => !floor.has(to));
      expect({ folder, imports: above }).toEqual({ folder, imports: [] });
    }
  });

  it("the checker sees a cycle when there is one", () => {
    const graph = new Map([
      ["a", new Map([["b", ["a.ts -> ../b"]]])],
      ["b", new Map([["a", ["b.ts -> ../a"]]])],
    ]);
    expect(cycles(graph)).toEqual([["a", "b"]]);
  });
});
