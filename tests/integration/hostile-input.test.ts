import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { zipSync } from "fflate";
import { SignJWT } from "jose";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { signAccessToken } from "../../lib/auth/tokens";
import type { Db } from "../../lib/db/types";
import { seedDemo } from "../../lib/demo/seed";
import { localToolKey } from "../../lib/runtime/local-server";
import { createUser } from "../../lib/users/create";
import { findDemoUser } from "../../lib/users/demo";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

// Every route file under app/api, every HTTP method it exports, gets hostile requests: bad
// credentials, and bad input in each place the route reads input from (path, query, headers, body).
// The list of routes is read from the files, and a route without an entry in HOSTILE below fails
// the suite, so a new endpoint cannot ship without hostile-input coverage.

const SECRET = "hostile-input-test-secret-0123456789abc";
const CRON_SECRET = "hostile-input-cron-secret-0123456789";
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Route {
  /** "POST /api/v2/blocks": the method and the URL path, with [param] segments as in the file tree. */
  key: string;
  method: Method;
  path: string;
  handler: Handler;
}

/** app/api/**\/route.ts(x) and the HTTP methods each one exports, as Next.js serves them. */
async function discoverRoutes(): Promise<Route[]> {
  const root = resolve("app/api");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((f) => f.split("\\").join("/"))
    .filter((f) => /(^|\/)route\.tsx?$/.test(f))
    .sort();
  const routes: Route[] = [];
  for (const file of files) {
    // Route groups "(name)" are not part of the URL.
    const segments = ["api", ...file.split("/").slice(0, -1)].filter((s) => !/^\(.*\)$/.test(s));
    const path = `/${segments.join("/")}`;
    const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof mod[method] === "function") {
        routes.push({ key: `${method} ${path}`, method, path, handler: mod[method] as Handler });
      }
    }
  }
  return routes;
}

const ROUTES = await discoverRoutes();

/** What the hostile requests of a route may use: the people in the database and valid credentials. */
interface World {
  attacker: string;
  victim: string;
  victimFavorite: string;
  token: string;
  /** The attacker's token with the moderator role. */
  moderatorToken: string;
  /** The attacker's token with the staff role. */
  staffToken: string;
  localKey: string;
}

interface Parts {
  /** Path parameters, as Next.js hands them to the handler (decoded). */
  params?: Record<string, string>;
  /** The query string, without "?". */
  query?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  contentType?: string;
}

interface Hostile extends Parts {
  what: string;
  /**
   * refused: a 4xx with a JSON error, and nothing written. answered: the input is harmless to this
   * route (it reads no such input, or treats it as plain data): any answer below 500, and nothing
   * written but `answeredWrites`.
   */
  expect: "refused" | "answered";
  /** Credentials other than the caller's valid ones (as the Authorization or local-key header). */
  auth?: { authorization?: string; localKey?: string; none?: true };
}

interface RouteCases {
  /**
   * Who may call the route: a signed-in person, a person or an anonymous visitor (optional: bad
   * tokens are refused, no token at all is a 400 asking for the anonymous id), Vercel Cron, a
   * local tool, or anyone.
   */
  caller: "user" | "optional" | "moderator" | "staff" | "cron" | "local-key" | "anyone";
  /** A request the route would accept from its caller (never sent with valid credentials unless a case says so). */
  valid: (w: World) => Parts;
  /** Hostile requests beyond bad credentials, each changing one thing in `valid`. */
  cases: (w: World) => Hostile[];
  /** Tables an answered request may write (caches); a refused one may write nothing at all. */
  answeredWrites?: string[];
}

// Strings that have broken some parser, query builder or template somewhere.
const INJECTION = [
  "'; DROP TABLE favorite_items; --",
  '" OR 1=1 --',
  "1 OR 1=1",
  "%_\\",
  "$1",
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "\u202eevil\u202c",
  "__proto__",
  "null",
  "",
  "   ",
];
// Text PostgreSQL cannot store (NUL) or that is not well-formed unicode (a lone surrogate).
const UNSTORABLE = ["nul\u0000byte", "lone \ud800 surrogate"];
const LONG = "x".repeat(100_000);
const NOT_STRINGS: unknown[] = [{ $gt: "" }, ["a"], -1, 0, 1e308, true, null, {}];
/** Values that are not a uuid, for fields and parameters that take one. */
const NOT_UUID: unknown[] = [...INJECTION, ...UNSTORABLE, LONG, ...NOT_STRINGS];
/** The same as they can arrive in a path or a query string. */
const NOT_UUID_TEXT = [
  ...INJECTION,
  ...UNSTORABLE,
  LONG,
  "00000000-0000-0000-0000-00000000000g",
  "0000000000000000000000000000000000",
];
// Letters, digits and the query syntax, percent-encoded where the URL would otherwise change meaning.
const QUERY_JUNK = [
  "%27%3B%20DROP%20TABLE%20favorite_items%3B%20--",
  "%00",
  "%ED%A0%80",
  "%E2%80%AE",
  "-1",
  "0",
  "1e308",
  "NaN",
  "Infinity",
  "1.5",
  "",
  "%20",
  "x".repeat(5000),
];

/** A JSON body with `field` set to `value` (undefined removes it) and the rest of `base` as it was. */
function withField(base: Record<string, unknown>, field: string, value: unknown): string {
  const out: Record<string, unknown> = { ...base };
  if (value === undefined) delete out[field];
  else out[field] = value;
  return JSON.stringify(out);
}

/** Everything wrong with a JSON body as a whole, with the rest of the request valid. */
function jsonEnvelope(base: Parts): Hostile[] {
  const refused = (what: string, body: string, contentType = "application/json"): Hostile => ({
    ...base,
    what,
    body,
    contentType,
    expect: "refused",
  });
  const valid = String(base.body);
  return [
    refused("form-encoded body", "a=1", "application/x-www-form-urlencoded"),
    refused("text/plain body", valid, "text/plain"),
    refused("multipart body", valid, "multipart/form-data; boundary=x"),
    refused("JSON with a charset-like suffix type", valid, "application/jsonx"),
    refused("truncated JSON", valid.slice(0, -1)),
    refused("empty body", ""),
    refused("single quotes", valid.replaceAll('"', "'")),
    refused("two JSON values", `${valid}${valid}`),
    refused("JSON null", "null"),
    refused("JSON number", "1"),
    refused("JSON string", '"x"'),
    refused("JSON array", `[${valid}]`),
    refused("NUL in a key", valid.replace("{", '{"a\\u0000b":1,')),
    refused("lone surrogate in a key", valid.replace("{", '{"\\ud800":1,')),
    // The valid fields only where a careless merge would find them: on a prototype.
    refused("fields only under __proto__", `{"__proto__":${valid}}`),
    refused("fields only under constructor.prototype", `{"constructor":{"prototype":${valid}}}`),
    refused("2 MB body", JSON.stringify({ pad: "y".repeat(2_000_000) })),
    refused("nested 20,000 deep", `${"[".repeat(20_000)}${"]".repeat(20_000)}`),
    refused("nested 20,000 deep objects", `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`),
  ];
}

/** One hostile value per request in each of `fields`, the other fields valid. */
function jsonFields(base: Parts, valid: Record<string, unknown>, fields: Record<string, unknown[]>): Hostile[] {
  return Object.entries(fields).flatMap(([field, values]) =>
    values.map((value): Hostile => ({
      ...base,
      what: `${field} = ${JSON.stringify(value)?.slice(0, 40) ?? "(absent)"}`,
      body: withField(valid, field, value),
      contentType: "application/json",
      expect: "refused",
    })),
  );
}

/** One hostile value per request in each query parameter of `fields`, the others as in `valid`. */
function queryFields(
  base: Parts,
  valid: Record<string, string>,
  fields: Record<string, string[]>,
  expect: Hostile["expect"] = "refused",
): Hostile[] {
  return Object.entries(fields).flatMap(([field, values]) =>
    values.map((value): Hostile => {
      const query = Object.entries({ ...valid, [field]: "" })
        .map(([k, v]) => `${k}=${k === field ? value : encodeURIComponent(v)}`)
        .join("&");
      return { ...base, what: `?${field}=${value.slice(0, 40)}`, query, expect };
    }),
  );
}

/** Input a route does not read (junk query, headers, forged identity hints): it must not matter. */
function ignoredInput(base: Parts): Hostile[] {
  return [
    { ...base, what: "junk query", query: "a='%20OR%201=1--&user_id=x&limit=-1", expect: "answered" },
    { ...base, what: "60 kB header", headers: { ...base.headers, "x-junk": "z".repeat(60_000) }, expect: "answered" },
    {
      ...base,
      what: "identity headers",
      headers: { ...base.headers, "x-user-id": "00000000-0000-0000-0000-000000000000", "x-forwarded-for": "::1" },
      expect: "answered",
    },
    {
      ...base,
      what: "hostile accept-language",
      headers: {
        ...base.headers,
        "accept-language": "'; DROP TABLE x;--, *;q=NaN, es;q=1e308, en-US-x-" + "y".repeat(5000),
      },
      expect: "answered",
    },
  ];
}

/** A room id nobody has: the rooms routes answer 404 for it. */
const NO_ROOM = "00000000-0000-4000-8000-000000000000";

/** A rooms route whose only input is the room id in the path. */
function roomRoute(key: string): Record<string, RouteCases> {
  return {
    [key]: {
      caller: "user",
      valid: () => ({ params: { id: NO_ROOM } }),
      cases: () => [
        ...NOT_UUID_TEXT.map((id) => ({ what: `id ${id.slice(0, 40)}`, params: { id }, expect: "refused" as const })),
        ...ignoredInput({ params: { id: NO_ROOM } }).slice(3),
      ],
    },
  };
}

const multipart = (name: string, bytes: Uint8Array | string, field = "file"): FormData => {
  const form = new FormData();
  form.append(field, new Blob([bytes as BlobPart]), name);
  return form;
};
/** Built once per file (both drivers send them): a 40 kB ZIP that unpacks to 41 MB, and an 11 MB CSV. */
const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const ZIP_BOMB = once(() => zipSync({ "ratings.csv": new Uint8Array(41 * 1024 * 1024).fill(0x41) }, { level: 9 }));
const BIG_CSV = once(() => "Date,Name,Year\n" + "2024-01-01,x,2000\n".repeat(650_000));
const LETTERBOXD_CSV = "Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Blade Runner,1982,https://boxd.it/x,4.5\n";

// The hostile requests of every route, keyed by "METHOD /path" as discoverRoutes names them.
/** A client event the events route would store. */
const goodEvent = () => ({
  id: "0b9f3c1e-8a7d-4e2f-9c1b-2d3e4f5a6b7c",
  kind: "dwell",
  targetType: "person",
  targetId: "someone",
  dwellMs: 1200,
  clientTime: new Date().toISOString(),
});

const HOSTILE: Record<string, RouteCases> = {
  "GET /api/auth/config": {
    caller: "anyone",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "GET /api/cron/[name]": {
    caller: "cron",
    valid: () => ({ params: { name: "worker" } }),
    cases: () =>
      [...NOT_UUID_TEXT, "Worker", "worker ", "worker/../taste", "__proto__", "constructor"].map((name) => ({
        what: `job ${JSON.stringify(name.slice(0, 40))}`,
        params: { name },
        expect: "refused" as const,
      })),
  },
  "POST /api/dev/demo-session": {
    caller: "anyone",
    valid: () => ({}),
    // It takes no input: whatever comes with the request, the answer is the same demo session.
    cases: (w) => [
      ...ignoredInput({}),
      {
        what: "a body naming another user",
        body: JSON.stringify({ mode: "user", userId: w.attacker }),
        expect: "answered",
      },
      { what: "broken JSON body", body: '{"mode": ', contentType: "application/json", expect: "answered" },
      { what: "2 MB body", body: "y".repeat(2_000_000), contentType: "text/plain", expect: "answered" },
    ],
  },
  "POST /api/dev/token": {
    caller: "local-key",
    valid: (w) => ({ body: JSON.stringify({ mode: "user", userId: w.victim }), contentType: "application/json" }),
    cases: (w) => {
      const base = { contentType: "application/json" };
      return [
        ...jsonFields(
          base,
          { mode: "user", userId: w.victim },
          { mode: ["admin", "USER", ...NOT_STRINGS], userId: NOT_UUID },
        ),
        ...["{", "", "null", "[]", '"demo"', `${"[".repeat(20_000)}${"]".repeat(20_000)}`].map((body): Hostile => ({
          ...base,
          what: `body ${body.slice(0, 20)}`,
          body,
          expect: "refused",
        })),
      ];
    },
  },
  "GET /api/v2/events/live": {
    caller: "user",
    valid: () => ({}),
    // An answered request is a stream that stays open (tests/integration/events-live.test.ts reads
    // it): here only the bad credentials, each refused before a stream opens.
    cases: () => [],
  },
  "GET /api/health": {
    caller: "anyone",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "GET /api/openapi.json": {
    caller: "anyone",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "GET /api/og/twin": {
    caller: "user",
    valid: () => ({}),
    // The token may also come as ?token= (for <img src>): every bad token there is refused too.
    cases: () =>
      [...badTokens.static, ...INJECTION, LONG].map((token) => ({
        what: `?token=${token.slice(0, 40)}`,
        query: `token=${encodeURIComponent(token)}`,
        auth: { none: true as const },
        expect: "refused" as const,
      })),
  },
  "DELETE /api/v2/blocks/[userId]": {
    caller: "user",
    valid: (w) => ({ params: { userId: w.victim } }),
    cases: () =>
      NOT_UUID_TEXT.map((userId) => ({
        what: `userId ${userId.slice(0, 40)}`,
        params: { userId },
        expect: "refused" as const,
      })),
  },
  "POST /api/v2/blocks": {
    caller: "user",
    valid: (w) => ({ body: JSON.stringify({ userId: w.victim }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/blocks"].valid(w)),
      ...jsonFields({}, { userId: w.victim }, { userId: [...NOT_UUID, undefined] }),
    ],
  },
  "GET /api/v2/discovery/candidates": {
    caller: "user",
    valid: () => ({ query: "limit=5" }),
    cases: () => [
      ...queryFields({}, { limit: "5" }, { limit: [...QUERY_JUNK, "201", "5&limit=500"] }),
      ...queryFields({}, { limit: "5" }, { cursor: [...QUERY_JUNK, "eyJvIjotMX0", "eyJvIjoxMDAwMDAwfQ", "W10"] }),
      ...queryFields({}, { limit: "5" }, { locale: [...QUERY_JUNK, "fr", "EN", "en-US"] }),
      ...ignoredInput({ query: "limit=5" }).slice(3),
    ],
    answeredWrites: ["public.slate_cache", "public.why_cache"],
  },
  "GET /api/v2/discovery/favorites/status": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "POST /api/v2/discovery/feedback": {
    caller: "user",
    valid: (w) => ({ body: JSON.stringify({ targetId: w.victim, action: "pass" }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/discovery/feedback"].valid(w)),
      ...jsonFields(
        {},
        { targetId: w.victim, action: "pass" },
        {
          targetId: [...NOT_UUID, undefined],
          action: ["PASS", "pass ", "delete", ...INJECTION, ...NOT_STRINGS, undefined],
        },
      ),
    ],
  },
  "POST /api/v2/events": {
    caller: "optional",
    valid: () => ({ body: JSON.stringify({ events: [goodEvent()] }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/events"].valid(w)),
      ...jsonFields(
        {},
        { events: [goodEvent()] },
        {
          events: [
            undefined,
            [],
            Array.from({ length: 101 }, goodEvent),
            ...INJECTION,
            LONG,
            ...NOT_STRINGS.filter((v) => !Array.isArray(v)),
          ],
          anonId: [...NOT_UUID.filter((v) => v !== null), undefined].filter((v) => v !== undefined),
          extra: ["field"],
        },
      ),
      // Bad events inside a good batch are answered (202, each rejected by index) and store nothing.
      ...[
        ...INJECTION.map((kind) => ({ ...goodEvent(), kind })),
        ...NOT_UUID.slice(0, 6).map((id) => ({ ...goodEvent(), id })),
        ...NOT_STRINGS.map((targetId) => ({ ...goodEvent(), targetId })),
        { ...goodEvent(), targetId: LONG },
        { ...goodEvent(), dwellMs: 10 * 3600 * 1000 },
        { ...goodEvent(), dwellMs: -1 },
        { ...goodEvent(), clientTime: "yesterday" },
        { ...goodEvent(), clientTime: "1970-01-01T00:00:00Z" },
        { ...goodEvent(), context: { requestId: LONG } },
        ...UNSTORABLE.map((query) => ({ ...goodEvent(), query })),
        ...NOT_STRINGS,
      ].map((event): Hostile => ({
        what: `event ${JSON.stringify(event)?.slice(0, 60)}`,
        body: JSON.stringify({ events: [event] }),
        contentType: "application/json",
        expect: "answered",
      })),
    ],
  },
  "GET /api/v2/discovery/why/[targetId]": {
    caller: "user",
    valid: (w) => ({ params: { targetId: w.victim } }),
    cases: (w) => [
      ...NOT_UUID_TEXT.map((targetId) => ({
        what: `targetId ${targetId.slice(0, 40)}`,
        params: { targetId },
        expect: "refused" as const,
      })),
      ...queryFields({ params: { targetId: w.victim } }, {}, { locale: [...QUERY_JUNK, "fr"] }),
    ],
  },
  "GET /api/recommendations": {
    // Optional auth, but a userId needs its own token: without one it is a 401 like a user route.
    caller: "user",
    valid: (w) => ({ query: `userId=${w.attacker}&limit=5` }),
    cases: (w) => [
      ...queryFields({}, { userId: w.attacker, limit: "5" }, { limit: [...QUERY_JUNK, "101", "0"] }),
      ...queryFields({}, { limit: "5" }, { userId: [...QUERY_JUNK, w.victim] }),
      ...queryFields({}, { userId: w.attacker }, { anonId: QUERY_JUNK }),
      ...queryFields(
        {},
        { userId: w.attacker },
        {
          context: ["x".repeat(51)],
          productId: ["x".repeat(201), "%00", "a%00b"],
          cartProductIds: [Array.from({ length: 51 }, (_, i) => `p${i}`).join(","), "a,%00"],
        },
      ),
      { what: "product page without productId", query: `userId=${w.attacker}&context=product-page`, expect: "refused" },
      { what: "neither userId nor anonId", query: "limit=5", expect: "refused" },
      ...ignoredInput({ query: `userId=${w.attacker}&limit=5` }).slice(1),
    ],
    // An answered list is logged as impressions (events, partitioned by month).
    answeredWrites: ["public.events_*"],
  },
  "GET /api/v2/products": {
    caller: "anyone",
    valid: () => ({ query: "ids=hostile-1,hostile-2" }),
    cases: () => [
      ...queryFields(
        {},
        {},
        {
          ids: ["", "%20", "%2C%2C", "%00", "x".repeat(5000), Array.from({ length: 51 }, (_, i) => `p${i}`).join(",")],
        },
      ),
      // Any other text is an id nobody has: an empty list.
      ...queryFields(
        {},
        {},
        { ids: QUERY_JUNK.filter((j) => j.length < 200 && !["", "%20", "%00"].includes(j)) },
        "answered",
      ),
      ...ignoredInput({ query: "ids=hostile-1" }).slice(1),
    ],
  },
  "POST /api/v2/products": {
    caller: "staff",
    valid: () => ({
      body: JSON.stringify({ products: [{ id: "hostile-1", title: "Knife" }] }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/products"].valid(w)),
      ...jsonFields(
        {},
        { products: [{ id: "hostile-1", title: "Knife" }] },
        {
          products: [
            [],
            [{ id: "", title: "Knife" }],
            [{ id: "k", title: LONG }],
            [{ id: "k", title: "Knife", price: -1 }],
            [{ id: "k", title: "Knife", extra: 1 }],
            Array.from({ length: 201 }, (_, i) => ({ id: `k${i}`, title: "Knife" })),
            ...NOT_STRINGS,
            undefined,
          ],
        },
      ),
      { what: "a token without the role", auth: { authorization: `Bearer ${w.token}` }, expect: "refused" },
    ],
    answeredWrites: ["public.products"],
  },
  "POST /api/v2/rooms": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ title: "Film night" }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/rooms"].valid(w)),
      ...jsonFields(
        {},
        { title: "Film night", tags: ["film"], language: "en", visibility: "public" },
        {
          title: ["", "   ", LONG, ...NOT_STRINGS, undefined],
          tags: [LONG, "film", Array.from({ length: 11 }, (_, i) => `t${i}`), [""], [LONG], [1]],
          language: ["fr", "EN", ...INJECTION.slice(0, 3), null],
          visibility: ["secret", "PUBLIC", null, 1],
        },
      ),
    ],
  },
  ...roomRoute("GET /api/v2/rooms/[id]"),
  ...roomRoute("POST /api/v2/rooms/[id]/close"),
  ...roomRoute("POST /api/v2/rooms/[id]/join"),
  ...roomRoute("POST /api/v2/rooms/[id]/leave"),
  "POST /api/v2/rooms/[id]/invitations": {
    caller: "user",
    valid: (w) => ({
      params: { id: NO_ROOM },
      body: JSON.stringify({ userId: w.victim }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/rooms/[id]/invitations"].valid(w)),
      ...jsonFields({ params: { id: NO_ROOM } }, { userId: w.victim }, { userId: [...NOT_UUID, undefined] }),
      ...NOT_UUID_TEXT.map((id) => ({
        what: `id ${id.slice(0, 40)}`,
        params: { id },
        body: JSON.stringify({ userId: w.victim }),
        contentType: "application/json",
        expect: "refused" as const,
      })),
    ],
  },
  "GET /api/v2/discovery/rooms": {
    caller: "user",
    valid: () => ({ query: "limit=5" }),
    cases: () => [
      ...queryFields({}, { limit: "5" }, { limit: [...QUERY_JUNK, "0", "101"] }),
      ...queryFields({}, { limit: "5" }, { locale: [...QUERY_JUNK, "fr"] }),
    ],
  },
  "GET /api/v2/discovery/rooms/[id]/invite": {
    caller: "user",
    valid: () => ({ params: { id: NO_ROOM } }),
    cases: () => [
      ...NOT_UUID_TEXT.map((id) => ({ what: `id ${id.slice(0, 40)}`, params: { id }, expect: "refused" as const })),
      ...queryFields({ params: { id: NO_ROOM } }, {}, { limit: [...QUERY_JUNK, "0", "51"] }),
    ],
  },
  "POST /api/v1/scenarios/hometown": {
    caller: "user",
    valid: (w) => ({ body: JSON.stringify({ user_id: w.attacker, max_results: 5 }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v1/scenarios/hometown"].valid(w)),
      ...jsonFields(
        {},
        { user_id: w.attacker, max_results: 5 },
        {
          user_id: [...NOT_UUID, undefined, w.victim],
          max_results: [0, 101, 1.5, "5", null, ...NOT_STRINGS.slice(0, 1)],
        },
      ),
    ],
  },
  "POST /api/v1/scenarios/home_feed": {
    caller: "user",
    valid: (w) => ({
      body: JSON.stringify({ user_id: w.attacker, ctx_device: "web" }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v1/scenarios/home_feed"].valid(w)),
      ...jsonFields(
        {},
        { user_id: w.attacker, ctx_device: "web" },
        {
          user_id: [...NOT_UUID, undefined, w.victim],
          ctx_timestamp: ["soon", 1, null],
          ctx_device: ["", LONG, 1],
          ctx_locale: ["english", ...INJECTION.slice(0, 2), 1],
        },
      ),
    ],
  },
  "POST /api/v1/scenarios/category_feed": {
    caller: "user",
    valid: (w) => ({
      body: JSON.stringify({ user_id: w.attacker, category_id: "music" }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v1/scenarios/category_feed"].valid(w)),
      ...jsonFields(
        {},
        { user_id: w.attacker, category_id: "music" },
        {
          user_id: [...NOT_UUID, w.victim],
          category_id: ["", "   ", LONG, null, undefined, 1],
        },
      ),
    ],
  },
  "GET /api/v1/scenarios/hometown/stats": {
    caller: "anyone",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "PUT /api/v2/streams/[id]": {
    caller: "user",
    valid: () => ({
      params: { id: NO_ROOM },
      body: JSON.stringify({ title: "Jazz", category: "music", language: "es", city: "Madrid", live: true }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["PUT /api/v2/streams/[id]"].valid(w)),
      ...jsonFields(
        { params: { id: NO_ROOM } },
        { title: "Jazz", category: "music", language: "es", city: "Madrid", live: true },
        {
          title: ["", "   ", LONG, ...NOT_STRINGS, undefined],
          category: ["", LONG, null],
          language: ["spanish", "ES", ...INJECTION.slice(0, 3), null],
          city: ["Nowhere Upon Nothing", ...INJECTION, LONG, 1],
          live: ["yes", null, undefined],
          qualityScore: [-0.1, 1.5, "1"],
          viewerCount: [-1, 1.5, 1e12],
          lat: [40],
        },
      ),
      ...NOT_UUID_TEXT.map((id) => ({
        what: `id ${id.slice(0, 40)}`,
        params: { id },
        body: JSON.stringify({ title: "Jazz", category: "music", language: "es", city: "Madrid", live: true }),
        contentType: "application/json",
        expect: "refused" as const,
      })),
    ],
  },
  "GET /api/v2/follows": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "POST /api/v2/follows": {
    caller: "user",
    valid: (w) => ({ body: JSON.stringify({ creatorId: w.victim }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/follows"].valid(w)),
      ...jsonFields({}, { creatorId: w.victim }, { creatorId: [...NOT_UUID, undefined, w.attacker, NO_ROOM] }),
    ],
  },
  "DELETE /api/v2/follows/[creatorId]": {
    caller: "user",
    valid: (w) => ({ params: { creatorId: w.victim } }),
    cases: () =>
      NOT_UUID_TEXT.map((creatorId) => ({
        what: `creatorId ${creatorId.slice(0, 40)}`,
        params: { creatorId },
        expect: "refused" as const,
      })),
  },
  "GET /api/v2/profile/stream-preferences": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "PUT /api/v2/profile/stream-preferences": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ localStrength: 0.7 }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["PUT /api/v2/profile/stream-preferences"].valid(w)),
      ...jsonFields(
        {},
        { localStrength: 0.7 },
        {
          localStrength: [-0.1, 1.1, "0.5", null],
          matureAllowed: ["yes", 1, null],
          categories: ["music", [""], [LONG], new Array(21).fill("x"), [1]],
        },
      ),
      { what: "no field", body: "{}", contentType: "application/json", expect: "refused" },
    ],
  },
  "DELETE /api/v2/favorites/[mediaId]": {
    caller: "user",
    valid: (w) => ({ params: { mediaId: w.victimFavorite } }),
    cases: (w) =>
      [
        ...INJECTION,
        ...UNSTORABLE,
        LONG,
        `${w.victimFavorite}' OR '1'='1`,
        `${w.victimFavorite}%`,
        "imdb:",
        `imdb:${"t".repeat(81)}`,
        "spotify:track:1",
        "imdb:tt0083658/../x",
      ].map((mediaId) => ({
        what: `mediaId ${mediaId.slice(0, 40)}`,
        params: { mediaId },
        expect: "refused" as const,
      })),
  },
  "POST /api/v2/favorites/import/[service]": {
    caller: "user",
    valid: () => ({ params: { service: "letterboxd" }, body: multipart("ratings.csv", LETTERBOXD_CSV) }),
    cases: () => {
      const base = { params: { service: "letterboxd" } };
      const file = (what: string, name: string, bytes: Uint8Array | string): Hostile => ({
        ...base,
        what,
        body: multipart(name, bytes),
        expect: "refused",
      });
      const enc = new TextEncoder();
      return [
        ...[...NOT_UUID_TEXT, "LETTERBOXD", "spotify "].map((service) => ({
          what: `service ${service.slice(0, 40)}`,
          params: { service },
          body: multipart("ratings.csv", LETTERBOXD_CSV),
          expect: "refused" as const,
        })),
        {
          ...base,
          what: "JSON instead of a file",
          body: '{"file":"x"}',
          contentType: "application/json",
          expect: "refused",
        },
        { ...base, what: "raw CSV body", body: LETTERBOXD_CSV, contentType: "text/csv", expect: "refused" },
        {
          ...base,
          what: "broken multipart",
          body: "--x\r\nnonsense",
          contentType: "multipart/form-data; boundary=x",
          expect: "refused",
        },
        {
          ...base,
          what: "file in another field",
          body: multipart("ratings.csv", LETTERBOXD_CSV, "upload"),
          expect: "refused",
        },
        {
          ...base,
          what: "file as a text field",
          body: (() => {
            const f = new FormData();
            f.append("file", LETTERBOXD_CSV);
            return f;
          })(),
          expect: "refused",
        },
        file("empty file", "ratings.csv", ""),
        file("binary garbage", "ratings.csv", randomBytes(4096)),
        file("NUL bytes in a CSV", "ratings.csv", LETTERBOXD_CSV.replace("Blade", "Bl\u0000ade")),
        file("invalid UTF-8", "ratings.csv", Uint8Array.from([...enc.encode("Date,Name\n"), 0xc3, 0x28, 0xff, 0xfe])),
        file("11 MB file", "ratings.csv", BIG_CSV()),
        file("ZIP bomb (41 MB of one letter)", "export.zip", ZIP_BOMB()),
        file("truncated ZIP", "export.zip", zipSync({ "ratings.csv": enc.encode(LETTERBOXD_CSV) }).subarray(0, 60)),
        file("ZIP without Letterboxd CSVs", "export.zip", zipSync({ "notes.txt": enc.encode("hello") })),
        file("ZIP with a path-traversal name", "export.zip", zipSync({ "../../ratings.csv": enc.encode("x\u0000") })),
        file("CSV without a header", "ratings.csv", "'; DROP TABLE favorite_items; --\n"),
        file("a Letterboxd list", "list.csv", "Letterboxd list export v7\nDate,Name\n"),
        file("ratings out of range", "ratings.csv", LETTERBOXD_CSV.replace("4.5", "11")),
        file("HTML page", "ratings.csv", "<html><script>alert(1)</script></html>"),
      ];
    },
  },
  "GET /api/v2/favorites/import/spotify/callback": {
    caller: "anyone",
    valid: () => ({ query: `state=${"s".repeat(32)}&code=abc` }),
    cases: () => [
      ...queryFields(
        {},
        { code: "abc" },
        { state: [...QUERY_JUNK, "s".repeat(15), "s".repeat(129), "'%20OR%20'1'='1'%20--%20xxxxxxxx"] },
      ),
      ...queryFields({}, { state: "s".repeat(32) }, { code: ["", "c".repeat(2049), "%00"] }),
      ...queryFields({}, { state: "s".repeat(32) }, { error: ["access_denied", "e".repeat(101), "%00"] }),
      { what: "no query at all", expect: "refused" },
    ],
  },
  "POST /api/v2/favorites/manual": {
    caller: "user",
    valid: () => ({
      body: JSON.stringify({ title: "Blade Runner", mediaType: "film", year: 1982 }),
      contentType: "application/json",
    }),
    cases: (w) => {
      const byTitle = { title: "Blade Runner", mediaType: "film", year: 1982, rating: 4.5 };
      const byId = { mediaId: "imdb:tt0083658", rating: 4.5 };
      return [
        ...jsonEnvelope(HOSTILE["POST /api/v2/favorites/manual"].valid(w)),
        ...jsonFields({}, byTitle, {
          title: [...UNSTORABLE, "", "   ", "t".repeat(301), ...NOT_STRINGS, undefined],
          mediaType: ["FILM", "game", ...INJECTION, ...NOT_STRINGS, undefined],
          year: ["1982", 999, 3001, 1982.5, 1e308, -1, true, {}],
          rating: [0, 0.3, 5.5, -1, "4.5", 1e308, true, {}],
          liked: ["true", 1, {}],
          // Unknown fields are refused, not ignored: nobody can add for someone else.
          userId: [w.victim],
          user_id: [w.victim],
        }),
        ...jsonFields({}, byId, {
          mediaId: [...INJECTION, ...UNSTORABLE, LONG, ...NOT_STRINGS, "spotify:track:1", `imdb:${"t".repeat(81)}`],
          title: ["Blade Runner"],
        }),
      ];
    },
  },
  "GET /api/v2/favorites": {
    caller: "user",
    valid: () => ({ query: "limit=10" }),
    cases: () => {
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      return [
        ...queryFields({}, {}, { limit: [...QUERY_JUNK, "201"] }),
        ...queryFields(
          {},
          { limit: "10" },
          { cursor: ["x".repeat(501), "%00", "!!!", "W10", cursor([1, 2]), cursor(["not a date", "x"])] },
        ),
        // Well-formed cursors that this endpoint never issued: a position like any other, never a 500.
        ...queryFields(
          {},
          { limit: "10" },
          {
            cursor: [
              cursor(["1", "x"]),
              cursor(["-000001-01-01T00:00:00Z", "x"]),
              cursor(["+275760-09-13T00:00:00Z", "x"]),
              cursor(["2024-01-01T00:00:00Z", "'; DROP TABLE favorite_items; --"]),
              cursor(["2024-01-01T00:00:00Z", "\u0000"]),
              // In the database's own text form, as the cursors this endpoint issues are.
              cursor(["2024-02-31 00:00:00+00", "x"]),
              cursor(["2024-13-01 00:00:00+00", "x"]),
              cursor(["2024-01-01 24:00:01+00", "x"]),
              cursor(["2024-01-01 00:00:00+99", "x"]),
              cursor(["2024-01-01 00:00:00+00", "\u0000"]),
              cursor(["2024-01-01 00:00:00+00", "\ud800"]),
              cursor(["2024-01-01 00:00:00+00", "'; DROP TABLE favorite_items; --"]),
            ],
          },
          "answered",
        ),
      ];
    },
  },
  "GET /api/v2/media/search": {
    caller: "user",
    valid: () => ({ query: "q=blade" }),
    cases: () => [
      ...queryFields({}, {}, { q: ["", "%20%20", "x".repeat(201)] }),
      ...queryFields({}, { q: "blade" }, { type: [...QUERY_JUNK, "FILM", "game"] }),
      ...queryFields({}, { q: "blade" }, { limit: [...QUERY_JUNK, "51"] }),
      // Search text is data: SQL, LIKE wildcards and control characters find titles or nothing.
      ...queryFields({}, {}, { q: QUERY_JUNK.filter((q) => q !== "" && q !== "%20" && q.length < 200) }, "answered"),
      ...queryFields({}, {}, { q: INJECTION.filter((q) => q.trim()).map(encodeURIComponent) }, "answered"),
    ],
  },
  "DELETE /api/v2/privacy/account": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ confirm: "DELETE" }), contentType: "application/json" }),
    // Each of these must leave the account and every row of it in place.
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["DELETE /api/v2/privacy/account"].valid(w)),
      ...jsonFields(
        {},
        { confirm: "DELETE" },
        {
          confirm: [
            "delete",
            "DELETE ",
            " DELETE",
            "DELETE\u0000",
            "DELET",
            ["DELETE"],
            { $eq: "DELETE" },
            true,
            ...INJECTION,
            undefined,
          ],
        },
      ),
    ],
  },
  "GET /api/v2/privacy/export": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}).slice(0, 2),
  },
  "GET /api/v2/privacy/settings": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "GET /api/v2/profile": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "PUT /api/v2/profile": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ hobbies: ["chess"] }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["PUT /api/v2/profile"].valid(w)),
      ...jsonFields(
        {},
        { hobbies: ["chess"] },
        {
          hobbies: ["chess", [""], ["   "], [LONG], new Array(21).fill("x"), [1], [null], ...NOT_STRINGS.slice(0, 1)],
          goals: [["marriage"], ["DATES"], ["dates", "dates", "dates", "dates"], "dates", ...INJECTION.map((x) => [x])],
          birthday: ["2030-01-01", "1990-13-01", "2015-01-01", "yesterday", 19900101, ...INJECTION],
          city: ["Nowhere Upon Nothing", ...INJECTION, LONG, 1, {}, []],
          position: [{ latitude: 91, longitude: 0 }, { latitude: "40", longitude: 0 }, { latitude: 1 }, "Madrid", []],
          displayName: ["", "   ", LONG, 1, null],
          language: ["fr", "EN", null, 1],
        },
      ),
      { what: "no field", body: "{}", contentType: "application/json", expect: "refused" },
      {
        what: "another user's id",
        body: JSON.stringify({ hobbies: ["chess"], userId: w.victim }),
        contentType: "application/json",
        expect: "refused",
      },
      {
        what: "a stored birthday",
        body: JSON.stringify({ hobbies: ["chess"], birthday_date: "1990-01-01" }),
        contentType: "application/json",
        expect: "refused",
      },
    ],
  },
  "POST /api/v2/profile/welcome": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
    // Finishing onboarding marks the profile, re-embeds the person and pre-warms their slate.
    answeredWrites: [
      "public.profiles",
      "public.jobs",
      "public.slate_cache",
      "public.why_cache",
      "public.user_embeddings",
      "public.user_taste_vectors",
      "public.user_traits",
      "public.events",
    ],
  },
  "PUT /api/v2/privacy/settings": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ favorites: false }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["PUT /api/v2/privacy/settings"].valid(w)),
      ...jsonFields({}, { favorites: false }, { favorites: ["false", "true", 0, 1, null, [], {}, ...INJECTION] }),
      { what: "no category", body: "{}", contentType: "application/json", expect: "refused" },
      { what: "unknown category", body: '{"admin":true}', contentType: "application/json", expect: "refused" },
      {
        what: "another user's id",
        body: JSON.stringify({ favorites: false, userId: w.victim }),
        contentType: "application/json",
        expect: "refused",
      },
    ],
  },
  "POST /api/v2/reports": {
    caller: "user",
    valid: (w) => ({ body: JSON.stringify({ userId: w.victim, reason: "spam" }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/reports"].valid(w)),
      ...jsonFields(
        {},
        { userId: w.victim, reason: "spam" },
        {
          userId: [...NOT_UUID, undefined, w.attacker, "00000000-0000-4000-8000-000000000000"],
          reason: ["SPAM", "spam ", "abuse", ...INJECTION, ...NOT_STRINGS, undefined],
          text: [LONG, "y".repeat(1001), ...UNSTORABLE, ...NOT_STRINGS],
        },
      ),
    ],
  },
  "GET /api/v2/moderation/reports": {
    caller: "moderator",
    valid: () => ({ query: "limit=5" }),
    cases: (w) => [
      ...queryFields({}, { limit: "5" }, { limit: [...QUERY_JUNK, "201"] }),
      { what: "a token without the role", auth: { authorization: `Bearer ${w.token}` }, expect: "refused" },
      ...ignoredInput({ query: "limit=5" }).slice(1),
    ],
  },
  "GET /api/v2/experiments/[id]/metrics": {
    caller: "staff",
    valid: () => ({ params: { id: "no-such-experiment" } }),
    cases: (w) => [
      ...[...INJECTION, ...UNSTORABLE, LONG, "UPPER", "-lead", "a_b", "x".repeat(64)].map((id): Hostile => ({
        what: `id ${id.slice(0, 40)}`,
        params: { id },
        expect: "refused",
      })),
      {
        what: "a token without the role",
        params: { id: "no-such-experiment" },
        auth: { authorization: `Bearer ${w.token}` },
        expect: "refused",
      },
      ...ignoredInput({ params: { id: "no-such-experiment" } }),
    ],
  },
  "POST /api/v2/moderation/reports/[reportId]": {
    caller: "moderator",
    valid: () => ({
      params: { reportId: "1" },
      body: JSON.stringify({ action: "dismiss" }),
      contentType: "application/json",
    }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["POST /api/v2/moderation/reports/[reportId]"].valid(w)),
      ...jsonFields(
        { params: { reportId: "1" } },
        { action: "dismiss" },
        { action: ["DISMISS", "ban", "delete", ...INJECTION, ...NOT_STRINGS, undefined] },
      ),
      ...[...INJECTION, ...UNSTORABLE, LONG, "0", "-1", "1.5", "1e3", "9".repeat(30), "999999"].map(
        (reportId): Hostile => ({
          what: `reportId ${reportId.slice(0, 40)}`,
          params: { reportId },
          body: JSON.stringify({ action: "dismiss" }),
          contentType: "application/json",
          expect: "refused",
        }),
      ),
      {
        what: "a token without the role",
        params: { reportId: "1" },
        body: JSON.stringify({ action: "suspend" }),
        contentType: "application/json",
        auth: { authorization: `Bearer ${w.token}` },
        expect: "refused",
      },
    ],
  },
  "GET /api/v2/privacy/audit-group": {
    caller: "user",
    valid: () => ({}),
    cases: () => ignoredInput({}),
  },
  "PUT /api/v2/privacy/audit-group": {
    caller: "user",
    valid: () => ({ body: JSON.stringify({ enabled: false }), contentType: "application/json" }),
    cases: (w) => [
      ...jsonEnvelope(HOSTILE["PUT /api/v2/privacy/audit-group"].valid(w)),
      ...jsonFields(
        {},
        { enabled: true, group: "b" },
        {
          group: [
            "B",
            "-a",
            "a b",
            "x".repeat(41),
            ...INJECTION.filter((v) => !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(v)),
            ...UNSTORABLE,
            ...NOT_STRINGS,
            undefined,
          ],
          enabled: ["true", 1, 0, null, undefined],
        },
      ),
      {
        what: "another user's id",
        body: JSON.stringify({ enabled: false, userId: w.victim }),
        contentType: "application/json",
        expect: "refused",
      },
    ],
  },
};

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** Authorization headers that must not get anyone in: each is a 401 on every signed-in route. */
const badTokens = {
  // Tokens that need nothing from the test's world.
  static: ["", "null", "a.b.c", "x".repeat(20_000), "eyJhbGciOiJIUzI1NiJ9.e30.", "'; DROP TABLE profiles; --"],
  async forWorld(w: World): Promise<Record<string, string | undefined>> {
    const claims = { sub: w.attacker, role: "authenticated", aud: "authenticated" };
    const key = new TextEncoder().encode(SECRET);
    return {
      missing: undefined,
      "Basic scheme": `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}`,
      "Bearer with no token": "Bearer ",
      ...Object.fromEntries(badTokens.static.map((t) => [`Bearer ${t.slice(0, 20)}`, `Bearer ${t}`])),
      forged: `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("x".repeat(40)))}`,
      expired: `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(now() - 60)
        .sign(key)}`,
      "not yet valid": `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setNotBefore(now() + 3600)
        .setExpirationTime("2h")
        .sign(key)}`,
      "alg none": `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, exp: now() + 3600 })}.`,
      "victim's id, no signature": `Bearer ${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, sub: w.victim, exp: now() + 3600 })}.`,
      "victim's id, attacker's signature": `Bearer ${(() => {
        const [, , sig] = w.token.split(".");
        return `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, sub: w.victim, exp: now() + 3600 })}.${sig}`;
      })()}`,
      "HS512 with a guessed key": `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS512" })
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("secret".repeat(12)))}`,
    };
  },
};

/** Cron secrets that must not run a batch: each is a 401. */
const badCronSecrets = (): Record<string, string | undefined> => ({
  missing: undefined,
  "empty bearer": "Bearer ",
  "the secret without Bearer": CRON_SECRET,
  "a prefix of the secret": `Bearer ${CRON_SECRET.slice(0, -1)}`,
  "the secret and more": `Bearer ${CRON_SECRET}x`,
  "another case": `bearer ${CRON_SECRET.toUpperCase()}`,
  "a user's token": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
  SQL: "Bearer ' OR 1=1 --",
});

/** Local tool keys that must not issue a token: each is a 403. */
const badLocalKeys = (w: World): Record<string, string | undefined> => ({
  missing: undefined,
  empty: "",
  "one character short": w.localKey.slice(0, -1),
  "one character more": `${w.localKey}0`,
  "upper case": w.localKey.toUpperCase(),
  "the JWT secret itself": SECRET,
  "as a bearer token": `Bearer ${w.localKey}`,
  "zeros of the same length": "0".repeat(w.localKey.length),
});

/** Row count and a digest of the contents of every table: a refused request may change none. */
async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'auth') AND c.relkind = 'r' ORDER BY 1`,
  );
  const digests = await db.query<{ name: string; n: number; digest: string }>(
    tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${name} t`,
      )
      .join(" UNION ALL "),
  );
  return Object.fromEntries(digests.map((d) => [d.name, `${d.n} rows, ${d.digest}`]));
}

/** The snapshot without `tables` ("public.events_*" names every partition of events). */
function without(snap: Record<string, string>, tables: string[] = []): Record<string, string> {
  const left = (name: string) => !tables.some((t) => (t.endsWith("*") ? name.startsWith(t.slice(0, -1)) : name === t));
  return Object.fromEntries(Object.entries(snap).filter(([name]) => left(name)));
}

it("has hostile-input cases for every method of every route file under app/api, and for nothing else", () => {
  expect(ROUTES.length, "route files found").toBeGreaterThanOrEqual(20);
  expect(ROUTES.map((r) => r.key).sort()).toEqual(Object.keys(HOSTILE).sort());
});

describeEachDriver("hostile input across every endpoint", (ctx) => {
  let restore: () => void;
  let world: World;
  let sent = 0;
  let tokens: Record<string, string | undefined>;

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    vi.stubEnv("CRON_SECRET", CRON_SECRET);
    // Embedded mode, as on a laptop: the dev routes exist, and sign-in is the demo session.
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("SUPABASE_URL", "");
    vi.stubEnv("SUPABASE_ANON_KEY", "");
    vi.stubEnv("MESH_DATA_DIR", join(mkdtempSync(join(tmpdir(), "mesh-hostile-")), "data"));
    // Spotify configured (an address nothing listens on): the callback checks its input rather than answering 503.
    vi.stubEnv("SPOTIFY_CLIENT_ID", "mesh-test");
    vi.stubEnv("SPOTIFY_ACCOUNTS_URL", "http://127.0.0.1:9");
    vi.stubEnv("SPOTIFY_API_URL", "http://127.0.0.1:9");
    vi.stubEnv("MESH_ENCRYPTION_KEYS", `k1:${randomBytes(32).toString("base64")}`);
    restore = serveRoutesFrom(ctx.db);
    await seedDemo(ctx.db, { users: 20, seed: 4 });
    const victim = (await findDemoUser(ctx.db))!;
    const attacker = await createUser(ctx.db);
    await ctx.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [victim, attacker]);
    // One product, so recommendations can answer (an empty catalogue is a 503).
    await ctx.db.query("INSERT INTO products (id, title) VALUES ('hostile-shelf', 'Shelf')");
    const [fav] = await ctx.db.query<{ media_id: string }>(
      "SELECT media_id FROM favorite_items WHERE user_id = $1 ORDER BY media_id LIMIT 1",
      [victim],
    );
    world = {
      attacker,
      victim,
      victimFavorite: fav.media_id,
      token: await signAccessToken(attacker),
      moderatorToken: await signAccessToken(attacker, { roles: ["moderator"] }),
      staffToken: await signAccessToken(attacker, { roles: ["staff"] }),
      localKey: localToolKey(),
    };
    tokens = await badTokens.forWorld(world);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  const send = async (route: Route, parts: Parts, auth: Record<string, string>): Promise<Response> => {
    const headers: Record<string, string> = { ...auth, ...(parts.headers ?? {}) };
    if (parts.contentType) headers["content-type"] = parts.contentType;
    const url = `http://localhost${route.path}${parts.query !== undefined ? `?${parts.query}` : ""}`;
    const bodyless = route.method === "GET" || route.method === "HEAD";
    sent++;
    return route.handler(new Request(url, { method: route.method, headers, body: bodyless ? undefined : parts.body }), {
      params: Promise.resolve(parts.params ?? {}),
    });
  };

  /** The caller's valid credentials for a route, or what a case puts in their place. */
  const credentials = (cases: RouteCases, override?: Hostile["auth"]): Record<string, string> => {
    if (override?.none) return {};
    if (override?.authorization !== undefined) return { authorization: override.authorization };
    if (override?.localKey !== undefined) return { "x-mesh-local-key": override.localKey };
    if (cases.caller === "user" || cases.caller === "optional") return { authorization: `Bearer ${world.token}` };
    if (cases.caller === "moderator") return { authorization: `Bearer ${world.moderatorToken}` };
    if (cases.caller === "staff") return { authorization: `Bearer ${world.staffToken}` };
    if (cases.caller === "cron") return { authorization: `Bearer ${CRON_SECRET}` };
    if (cases.caller === "local-key") return { "x-mesh-local-key": world.localKey };
    return {};
  };

  /** Refused: a 4xx with a JSON error the client can show. */
  const expectRefused = async (res: Response, what: string, status?: number) => {
    if (status) expect(res.status, what).toBe(status);
    expect(res.status, what).toBeGreaterThanOrEqual(400);
    expect(res.status, what).toBeLessThan(500);
    const body = (await res.json()) as { error?: { code?: unknown } };
    expect(typeof body.error?.code, `${what}: a JSON error with a code`).toBe("string");
  };

  for (const route of ROUTES) {
    const cases = HOSTILE[route.key];
    if (!cases) continue; // the coverage test above names it
    it(`${route.key}: bad credentials and hostile input get a 4xx, never a 5xx, and write nothing`, async () => {
      const hostile = cases.cases(world);
      const refusedCalls: [string, Parts, Record<string, string>, number?][] = [];
      const valid = cases.valid(world);
      const bad =
        cases.caller === "user" ||
        cases.caller === "optional" ||
        cases.caller === "moderator" ||
        cases.caller === "staff"
          ? tokens
          : cases.caller === "cron"
            ? badCronSecrets()
            : cases.caller === "local-key"
              ? badLocalKeys(world)
              : {};
      const status = cases.caller === "local-key" ? 403 : 401;
      const header = cases.caller === "local-key" ? "x-mesh-local-key" : "authorization";
      // The otherwise valid request with each bad credential: refused for who is calling, nothing else.
      for (const [kind, value] of Object.entries(bad)) {
        const expected = cases.caller === "optional" && value === undefined ? 400 : status;
        refusedCalls.push([`${kind} credential`, valid, value === undefined ? {} : { [header]: value }, expected]);
      }
      for (const h of hostile.filter((c) => c.expect === "refused")) {
        refusedCalls.push([h.what, h, credentials(cases, h.auth)]);
      }

      const before = await snapshot(ctx.db);
      for (const [what, parts, auth, expected] of refusedCalls) {
        // A body is a one-shot stream: FormData and strings are rebuilt per request by Request itself.
        await expectRefused(await send(route, parts, auth), `${route.key} ${what}`, expected);
      }
      expect(await snapshot(ctx.db), `${route.key}: refused requests wrote nothing`).toEqual(before);

      const answered = hostile.filter((c) => c.expect === "answered");
      for (const h of answered) {
        const res = await send(route, h, credentials(cases, h.auth));
        expect(res.status, `${route.key} ${h.what}`).toBeLessThan(500);
        await res.arrayBuffer();
      }
      expect(
        without(await snapshot(ctx.db), cases.answeredWrites),
        `${route.key}: harmless input wrote nothing`,
      ).toEqual(without(before, cases.answeredWrites));
      expect(refusedCalls.length + answered.length, `${route.key}: hostile requests`).toBeGreaterThanOrEqual(4);
    });
  }

  it("sent at least 500 hostile requests over all routes", () => {
    expect(sent).toBeGreaterThanOrEqual(500);
  });

  const route = (key: string) => ROUTES.find((r) => r.key === key)!;
  const asAttacker = () => ({ authorization: `Bearer ${world.token}` });

  it("stores SQL metacharacters and unicode in a title as plain text, and refuses text Postgres cannot hold", async () => {
    const manual = route("POST /api/v2/favorites/manual");
    const add = (title: string) =>
      send(
        manual,
        { body: JSON.stringify({ title, mediaType: "film", year: 1999 }), contentType: "application/json" },
        asAttacker(),
      );
    for (const title of ["Robert'); DROP TABLE favorite_items;--", "Amélie \u202e ✨ 千と千尋"]) {
      const res = await add(title);
      expect(res.status, title).toBeLessThan(300);
    }
    const titles = await ctx.db.query<{ title: string }>(
      "SELECT m.title FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id WHERE f.user_id = $1 ORDER BY 1",
      [world.attacker],
    );
    expect(titles.map((t) => t.title)).toEqual(
      ["Amélie \u202e ✨ 千と千尋", "Robert'); DROP TABLE favorite_items;--"].sort(),
    );
  });

  it("never lets one user act on or read another's data through ids in paths", async () => {
    const removal = await send(
      route("DELETE /api/v2/favorites/[mediaId]"),
      { params: { mediaId: world.victimFavorite } },
      asAttacker(),
    );
    expect(removal.status).toBeLessThan(500);
    expect(
      await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1 AND media_id = $2", [
        world.victim,
        world.victimFavorite,
      ]),
    ).toHaveLength(1);
    // The victim blocked the attacker: the attacker cannot unblock themselves, nor learn why about the victim.
    const unblock = await send(
      route("DELETE /api/v2/blocks/[userId]"),
      { params: { userId: world.victim } },
      asAttacker(),
    );
    expect(unblock.status).toBeLessThan(500);
    expect(
      await ctx.db.query("SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2", [
        world.victim,
        world.attacker,
      ]),
    ).toHaveLength(1);
    const why = await send(
      route("GET /api/v2/discovery/why/[targetId]"),
      { params: { targetId: world.victim } },
      asAttacker(),
    );
    expect(why.status).toBe(404);
    // Nothing the attacker can list holds the victim's rows.
    const listed = await (await send(route("GET /api/v2/favorites"), {}, asAttacker())).json();
    const own = await ctx.db.query("SELECT DISTINCT media_id FROM favorite_items WHERE user_id = $1", [world.attacker]);
    expect(listed.items).toHaveLength(own.length);
    const exported = await (await send(route("GET /api/v2/privacy/export"), {}, asAttacker())).text();
    expect(exported).not.toContain(`"user_id":"${world.victim}"`);
  });
});
