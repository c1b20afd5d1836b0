import { z } from "zod";
// Type-only: api/discovery.ts pulls server modules (lib/discovery/feedback -> lib/http/errors ->
// lib/auth) at run time, which must not reach the browser bundle.
import type { CandidatesResponse } from "./discovery";
import type { FeedbackAction } from "@/lib/discovery/feedback-actions";
import {
  favoritesStatusResponse,
  importResponse,
  listFavoritesResponse,
  manualFavoriteResponse,
  type ManualFavoriteRequest,
} from "./favorites";
import { authConfigResponse, type AuthConfigResponse } from "./auth";
import { mediaSearchResponse } from "./media";
import { privacySettingsResponse, type PrivacySettingsResponse } from "./privacy";
import type { PrivacyCategory } from "@/lib/privacy/categories";

/** The typed fetch client the pages use: the same HTTP contract front-end engineers call. */

/** POST /api/dev/demo-session (embedded mode only): a token for a seeded demo user. */
export const demoSessionResponse = z.object({ userId: z.uuid(), token: z.string().min(1) });
export type DemoSession = z.infer<typeof demoSessionResponse>;

export type FavoritesStatus = z.infer<typeof favoritesStatusResponse>;
export type FavoritesPage = z.infer<typeof listFavoritesResponse>;
export type FavoriteItem = FavoritesPage["items"][number];
export type MediaSuggestion = z.infer<typeof mediaSearchResponse>["items"][number];
export type ImportResult = z.infer<typeof importResponse>;
export type { AuthConfigResponse, CandidatesResponse, FeedbackAction, PrivacySettingsResponse };

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().nullish() }),
});

/** A non-2xx answer, carrying the API's own code and message (what the pages show). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiClientOptions {
  /**
   * The Supabase access token (or the embedded mode's demo token); null before sign-in. A function
   * is asked before every request: Supabase sessions refresh their token while the page is open.
   */
  token: string | null | (() => string | null | Promise<string | null>);
  /** Absolute origin for use outside a browser (tests); the browser uses relative URLs. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "";

  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = typeof options.token === "function" ? await options.token() : options.token;
    if (token) headers.set("authorization", `Bearer ${token}`);
    const res = await doFetch(`${base}${path}`, { ...init, headers });
    if (res.ok) return res;
    const parsed = errorBody.safeParse(await res.json().catch(() => null));
    if (parsed.success) {
      const { code, message, field } = parsed.data.error;
      throw new ApiError(res.status, code, message, field ?? undefined);
    }
    throw new ApiError(res.status, "http_error", `the server answered ${res.status}`);
  }

  async function getJson<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
    return schema.parse(await (await send(path, init)).json());
  }

  const jsonInit = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  return {
    /** How this server signs people in (and, for Supabase Auth, the project URL and anon key). */
    authConfig: () => getJson(authConfigResponse, "/api/auth/config"),

    demoSession: () => getJson(demoSessionResponse, "/api/dev/demo-session", { method: "POST" }),

    async candidates(query: { limit?: number; locale?: "en" | "es"; cursor?: string } = {}) {
      const params = new URLSearchParams();
      if (query.limit) params.set("limit", String(query.limit));
      if (query.locale) params.set("locale", query.locale);
      if (query.cursor) params.set("cursor", query.cursor);
      return (await (await send(`/api/v2/discovery/candidates?${params}`)).json()) as CandidatesResponse;
    },

    async feedback(targetId: string, action: FeedbackAction): Promise<void> {
      await send("/api/v2/discovery/feedback", jsonInit("POST", { targetId, action }));
    },

    favoritesStatus: () => getJson(favoritesStatusResponse, "/api/v2/discovery/favorites/status"),

    listFavorites(query: { limit?: number; cursor?: string } = {}) {
      const params = new URLSearchParams();
      if (query.limit) params.set("limit", String(query.limit));
      if (query.cursor) params.set("cursor", query.cursor);
      return getJson(listFavoritesResponse, `/api/v2/favorites?${params}`);
    },

    saveFavorite: (body: ManualFavoriteRequest) =>
      getJson(manualFavoriteResponse, "/api/v2/favorites/manual", jsonInit("POST", body)),

    async removeFavorite(mediaId: string): Promise<void> {
      await send(`/api/v2/favorites/${encodeURIComponent(mediaId)}`, { method: "DELETE" });
    },

    searchMedia(q: string, options: { limit?: number; signal?: AbortSignal } = {}) {
      const params = new URLSearchParams({ q, limit: String(options.limit ?? 8) });
      return getJson(mediaSearchResponse, `/api/v2/media/search?${params}`, { signal: options.signal });
    },

    importFile(service: "letterboxd" | "goodreads", file: Blob, fileName = "upload") {
      const form = new FormData();
      form.append("file", file, fileName);
      return getJson(importResponse, `/api/v2/favorites/import/${service}`, { method: "POST", body: form });
    },

    /** Where to send the person to connect Spotify (503 ApiError when the server has no Spotify app). */
    connectSpotify: () =>
      getJson(z.object({ authorizeUrl: z.url() }), "/api/v2/favorites/import/spotify", { method: "POST" }),

    privacySettings: () => getJson(privacySettingsResponse, "/api/v2/privacy/settings"),

    updatePrivacy: (change: Partial<Record<PrivacyCategory, boolean>>) =>
      getJson(privacySettingsResponse, "/api/v2/privacy/settings", jsonInit("PUT", change)),

    /** Everything held about the caller, as the JSON file the export endpoint streams. */
    async exportData(): Promise<Blob> {
      return (await send("/api/v2/privacy/export")).blob();
    },

    async deleteAccount(): Promise<void> {
      await send("/api/v2/privacy/account", jsonInit("DELETE", { confirm: "DELETE" }));
    },
  };
}
