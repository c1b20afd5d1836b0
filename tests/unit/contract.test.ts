import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createApiClient } from "../../api/client";
import { errorCodes } from "../../api/errors";
import { allOperations } from "../../api/index";
import { openApiDocument } from "../../api/openapi";
import { errorsOf, type Operation } from "../../api/operation";
import { domainErrorCodes } from "../../lib/route/domain-errors";
import type { RouteHandler } from "../../lib/route";
import { APP_VERSION } from "../../lib/version";

const root = join(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** Every route file under app/api, its served path ({param} for [param]) and exported methods. */
function routeFiles(): { file: string; path: string; methods: string[] }[] {
  const dir = join(root, "app/api");
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /(^|[\\/])route\.tsx?$/.test(f))
    .map((f) => {
      const folder = f.split(sep).slice(0, -1).join("/");
      const text = readFileSync(join(dir, f), "utf8");
      const methods = METHODS.filter((m) =>
        new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(text),
      );
      return {
        file: relative(root, join(dir, f)),
        // app/api/v1/ is served as /v1/ (the rewrite in next.config.ts).
        path: `/api/${folder}`.replace(/^\/api\/v1\//, "/v1/").replace(/\[(\w+)\]/g, "{$1}"),
        methods,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const generated = () =>
  JSON.parse(JSON.stringify(openApiDocument(APP_VERSION))) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string }>>;
  };

describe("the HTTP contract (api/)", () => {
  it("is a valid OpenAPI 3.1 document, as GET /api/openapi.json serves it", async () => {
    const { GET } = await import("../../app/api/openapi.json/route");
    const res = await GET(new Request("http://localhost/api/openapi.json"));
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served).toEqual(generated());
    const validator = new Validator();
    const result = await validator.validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is committed as docs/openapi.json, up to date (else: npm run openapi)", () => {
    const committed = JSON.parse(readFileSync(join(root, "docs/openapi.json"), "utf8"));
    expect(committed, "docs/openapi.json is stale: run npm run openapi").toEqual(generated());
  });

  it("has an operation for every method of every route file, and none without one", async () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(20);
    const doc = generated();
    const served = files.flatMap((f) => f.methods.map((m) => `${m} ${f.path}`)).sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    // And each exported handler is the route wrapper serving exactly that operation.
    for (const f of files) {
      const mod = (await import(join(root, f.file))) as Record<string, RouteHandler | undefined>;
      for (const m of f.methods) {
        expect(mod[m]?.operation, `${m} in ${f.file}`).toMatchObject({ method: m, path: f.path });
      }
    }
  });

  it("declares every {param} of a path as a required path parameter, and no other", () => {
    const doc = generated() as unknown as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>>;
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inPath);
        expect(declared.every((p) => p.required)).toBe(true);
      }
    }
  });

  it("names each operation once, with unique operation ids", () => {
    const ops = allOperations();
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length);
    expect(new Set(ops.map((o) => `${o.operation.method} ${o.operation.path}`)).size).toBe(ops.length);
  });

  it("has examples that its own schemas accept", () => {
    for (const { id, operation: op } of allOperations()) {
      if (op.bodyExample !== undefined) expect(op.body?.safeParse(op.bodyExample).error, id).toBeUndefined();
      for (const [status, spec] of Object.entries(op.responses)) {
        if (spec.example !== undefined && spec.schema) {
          expect(spec.schema.safeParse(spec.example).error, `${id} ${status}`).toBeUndefined();
        }
      }
    }
  });

  it("lists every error code the code can answer, with its status", () => {
    const thrown = new Map<string, number>();
    const sources = ["lib", "app"].flatMap((dir) =>
      (readdirSync(join(root, dir), { recursive: true }) as string[])
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => readFileSync(join(root, dir, f), "utf8")),
    );
    for (const text of sources) {
      for (const m of text.matchAll(/new HttpError\(\s*(\d{3}),\s*"([a-z_]+)"/g)) thrown.set(m[2], Number(m[1]));
    }
    for (const { code, status } of domainErrorCodes) thrown.set(code, status);
    // The generic answers (lib/http/errors.ts, proxy.ts).
    for (const code of ["invalid_input", "unauthorized", "busy", "internal", "rate_limited"]) {
      thrown.set(code, errorCodes[code as keyof typeof errorCodes].status);
    }
    expect(thrown.size).toBeGreaterThan(15);
    for (const [code, status] of thrown) {
      expect(errorCodes[code as keyof typeof errorCodes]?.status, `error code ${code}`).toBe(status);
    }
  });

  it("is what the browser client calls: each method hits an operation and accepts its example", async () => {
    const ops = allOperations().map(({ operation: op }) => ({
      op,
      pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, "[^/?]+")}(\\?|$)`),
    }));
    const hit: string[] = [];
    const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const found = ops.find(({ op, pattern }) => op.method === (init.method ?? "GET") && pattern.test(url));
      if (!found) throw new Error(`the client called ${init.method} ${url}, which is no operation`);
      hit.push(`${found.op.method} ${found.op.path}`);
      const [status, spec] = Object.entries(found.op.responses)[0];
      if (url.endsWith("/import/spotify")) {
        return Response.json({ service: "spotify", authorizeUrl: "https://accounts.spotify.com/authorize?state=x" });
      }
      if (spec.example === undefined) return new Response(status === "204" ? null : "{}", { status: Number(status) });
      return Response.json(spec.example, { status: Number(status) });
    }) as typeof fetch;
    const api = createApiClient({ token: "t", fetch: fetchImpl });
    const someone = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";
    await api.authConfig();
    await api.demoSession();
    expect((await api.candidates({ limit: 5 })).candidates).toHaveLength(1);
    await api.feedback(someone, "connect");
    await api.favoritesStatus();
    await api.listFavorites({ limit: 10 });
    await api.saveFavorite({ title: "Blade Runner", mediaType: "film" });
    await api.removeFavorite("imdb:tt0083658");
    await api.searchMedia("blade");
    await api.importFile("letterboxd", new Blob(["Name,Year\n"]));
    await api.connectSpotify();
    await api.privacySettings();
    await api.updatePrivacy({ location: false });
    await api.exportData();
    await api.deleteAccount();
    expect((await api.hometown(someone, 5)).streams).toHaveLength(1);
    await api.follow(someone);
    await api.follows();
    await api.unfollow(someone);
    expect(hit).toHaveLength(19);
  });

  it("implies the errors of an operation's auth and inputs", () => {
    const op: Operation = {
      method: "POST",
      path: "/x",
      summary: "x",
      auth: { role: "moderator" },
      body: undefined,
      responses: { 200: { description: "" } },
    };
    expect(errorsOf(op)).toEqual(expect.arrayContaining(["unauthorized", "forbidden", "rate_limited", "internal"]));
    expect(errorsOf({ ...op, auth: "none" })).not.toContain("unauthorized");
  });
});
