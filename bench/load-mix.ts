import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { summarise, type Latency } from "./lib/stats";

/** What a scenario's requests need: who asks, for whom, and for what. */
export interface LoadFixtures {
  baseUrl: string;
  /** One viewer whose first page is asked again and again (the cached path). */
  cachedToken: string;
  cachedViewerId: string;
  /** Viewers asked once each, their slates cleared first (the uncached path). */
  freshTokens: string[];
  /** Viewers for the other routes, with a person to ask `why` about and to give feedback on. */
  viewers: { token: string; targetId: string }[];
  /** Search terms (the first word of catalogue titles). */
  terms: string[];
  /** Catalogue titles for the import's CSV. */
  titles: { title: string; year: number | null }[];
}

export type RouteName = "cached" | "uncached" | "why" | "search" | "favorites" | "feedback" | "events" | "floor";

export interface RouteResult {
  route: RouteName;
  connections: number;
  requests: number;
  reqPerSec: number;
  latency: Latency;
  /** Non-2xx answers by status, plus socket errors and timeouts. */
  errors: Record<string, number>;
  /** Uncached candidates only: answers that still came from the slate cache (the viewer list wrapped). */
  cacheHits?: number;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...auth(token), "content-type": "application/json" });

/** A rotating pick over a list, shared by every connection of one route. */
function rotor<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

type Req = autocannon.Request;

function requestFor(route: RouteName, f: LoadFixtures): Req {
  switch (route) {
    case "cached":
      return { method: "GET", path: "/api/v2/discovery/candidates?limit=10", headers: auth(f.cachedToken) };
    case "floor":
      // The same route refusing its query (400): the proxy, the token check and validation run,
      // nothing else (no database, no slate). What Next.js and our wrapper cost per request.
      return { method: "GET", path: "/api/v2/discovery/candidates?limit=0", headers: auth(f.cachedToken) };
    case "uncached": {
      const next = rotor(f.freshTokens);
      return {
        method: "GET",
        path: "/api/v2/discovery/candidates?limit=10",
        setupRequest: (r: Req) => ({ ...r, headers: auth(next()) }),
      };
    }
    case "why": {
      const next = rotor(f.viewers);
      return {
        method: "GET",
        setupRequest: (r: Req) => {
          const v = next();
          return { ...r, path: `/api/v2/discovery/why/${v.targetId}`, headers: auth(v.token) };
        },
      };
    }
    case "search": {
      const next = rotor(f.terms);
      const viewer = f.viewers[0];
      return {
        method: "GET",
        setupRequest: (r: Req) => ({
          ...r,
          path: `/api/v2/media/search?q=${encodeURIComponent(next())}&limit=10`,
          headers: auth(viewer.token),
        }),
      };
    }
    case "favorites": {
      const next = rotor(f.viewers);
      return {
        method: "GET",
        path: "/api/v2/favorites?limit=20",
        setupRequest: (r: Req) => ({ ...r, headers: auth(next().token) }),
      };
    }
    case "feedback": {
      const next = rotor(f.viewers);
      return {
        method: "POST",
        path: "/api/v2/discovery/feedback",
        setupRequest: (r: Req) => {
          const v = next();
          return { ...r, headers: json(v.token), body: JSON.stringify({ targetId: v.targetId, action: "click" }) };
        },
      };
    }
    case "events": {
      const next = rotor(f.viewers);
      return {
        method: "POST",
        path: "/api/v2/events",
        setupRequest: (r: Req) => {
          const v = next();
          const events = Array.from({ length: 5 }, () => ({
            id: randomUUID(),
            kind: "open_profile",
            targetType: "person",
            targetId: v.targetId,
            clientTime: new Date().toISOString(),
          }));
          return { ...r, headers: json(v.token), body: JSON.stringify({ events }) };
        },
      };
    }
  }
}

/** Runs one route at `connections` for `seconds`; resolves with its figures. */
export function runRoute(
  route: RouteName,
  f: LoadFixtures,
  connections: number,
  seconds: number,
): Promise<RouteResult> {
  const samples: number[] = [];
  const errors: Record<string, number> = {};
  let cacheHits = 0;
  const base = requestFor(route, f);
  const request: Req =
    route === "uncached"
      ? {
          ...base,
          onResponse: (_status: number, body: string) => {
            if (body.includes('"cached":true')) cacheHits++;
          },
        }
      : base;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: f.baseUrl, connections, duration: seconds, timeout: 10, requests: [request] },
      (err, result) => {
        if (err) return reject(err);
        if (result.errors) errors.socket = result.errors;
        if (result.timeouts) errors.timeout = result.timeouts;
        resolve({
          route,
          connections,
          requests: samples.length,
          reqPerSec: Math.round((samples.length / seconds) * 10) / 10,
          latency: summarise(samples),
          errors,
          ...(route === "uncached" ? { cacheHits } : {}),
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      samples.push(ms);
      const expected = route === "floor" ? status === 400 : status >= 200 && status < 300;
      if (!expected) errors[status] = (errors[status] ?? 0) + 1;
    });
  });
}

/** The share of a mix's connections each route gets (a closed loop per route). */
export const MIX: Record<Exclude<RouteName, "floor">, number> = {
  cached: 0.4,
  uncached: 0.1,
  why: 0.15,
  search: 0.1,
  favorites: 0.1,
  feedback: 0.05,
  events: 0.1,
};

export interface ImportResult {
  imports: number;
  latency: Latency;
  errors: Record<string, number>;
}

/** A Letterboxd ratings.csv of a few catalogue titles, uploaded every `everyMs` until `until`. */
export async function importLoop(f: LoadFixtures, everyMs: number, until: number): Promise<ImportResult> {
  const samples: number[] = [];
  const errors: Record<string, number> = {};
  const next = rotor(f.viewers);
  let round = 0;
  while (Date.now() + everyMs < until) {
    await new Promise((r) => setTimeout(r, everyMs));
    const rows = Array.from({ length: 20 }, (_, i) => f.titles[(round * 20 + i) % f.titles.length]);
    round++;
    const csv =
      "Date,Name,Year,Letterboxd URI,Rating\n" +
      rows.map((t) => `2024-01-01,"${t.title.replace(/"/g, '""')}",${t.year ?? ""},,4`).join("\n");
    const form = new FormData();
    form.set("file", new Blob([csv]), "ratings.csv");
    const start = performance.now();
    try {
      const res = await fetch(`${f.baseUrl}/api/v2/favorites/import/letterboxd`, {
        method: "POST",
        headers: auth(next().token),
        body: form,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (!res.ok) errors[res.status] = (errors[res.status] ?? 0) + 1;
    } catch {
      errors.socket = (errors.socket ?? 0) + 1;
    }
    samples.push(performance.now() - start);
  }
  return { imports: samples.length, latency: summarise(samples), errors };
}
