import type { z } from "zod";
import { operations as auth, type AuthConfigResponse } from "./auth";
import { operations as dev, type LocalTokenResponse } from "./dev";
import { operations as discovery, type CandidatesQuery, type CandidatesResponse } from "./discovery";
import { errorBody } from "./errors";
import { operations as eventsApi } from "./events";
import {
  operations as favorites,
  importResponse,
  type FavoriteItem,
  type FavoritesPage,
  type FavoritesStatus,
  type ManualFavoriteRequest,
} from "./favorites";
import { operations as media, type MediaSuggestion } from "./media";
import type { Operation } from "./operation";
import { operations as moderation, type ModerationResponse, type OpenReportsResponse } from "./moderation";
import { operations as privacy, type PrivacySettingsResponse } from "./privacy";
import { operations as recommendations, type ProductsResponse, type RecommendationsResponse } from "./recommendations";
import { operations as reports, type ReportBody } from "./reports";
import type { ModerationAction } from "@/lib/safety/codes";
import { operations as rooms, type CreateRoomBody } from "./rooms";
import { operations as scenarios, type FeedResponse, type HometownResponse } from "./scenarios";
import { operations as streams } from "./streams";
import { operations as profile, type ProfileResponse, type profileUpdate } from "./profile";
import type { FeedbackAction } from "@/lib/discovery/feedback-actions";
import type { PrivacyCategory } from "@/lib/privacy/categories";
import type { ClientEvent } from "@/lib/events/event-schema";

/** The typed fetch client the pages use: the same operations tables front-end engineers call. */

export type DemoSession = LocalTokenResponse;
export type ImportResult = z.infer<typeof importResponse>;
export type {
  AuthConfigResponse,
  ClientEvent,
  CandidatesResponse,
  FavoriteItem,
  FavoritesPage,
  FavoritesStatus,
  FeedbackAction,
  HometownResponse,
  FeedResponse,
  MediaSuggestion,
  ModerationAction,
  ModerationResponse,
  OpenReportsResponse,
  PrivacySettingsResponse,
  ProductsResponse,
  ProfileResponse,
  RecommendationsResponse,
};
/** A recommendation request as the shop page sends it (cartProductIds comma-separated). */
export interface RecommendationsRequest {
  userId?: string;
  anonId?: string;
  limit?: number;
  context?: string;
  productId?: string;
  cartProductIds?: string;
}
/** A profile change as the page sends it (birthday as YYYY-MM-DD). */
export type ProfileChange = z.input<typeof profileUpdate>;

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

interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** A JSON body, or FormData for an upload. */
  body?: unknown;
  signal?: AbortSignal;
  /** Let the request outlive the page (sent on page hide). */
  keepalive?: boolean;
}

/** The operation's path with its {params} filled in (escaped), and its query string. */
export function operationUrl(op: Operation, input: Pick<CallInput, "params" | "query"> = {}): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.params?.[name] ?? ""));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** What the operation's success answers hold, when they are JSON; nothing otherwise. */
type AnswerOf<Op extends Operation> = [keyof Op["responses"] & (200 | 201)] extends [never]
  ? void
  : Op["responses"][keyof Op["responses"] & (200 | 201 | 202)] extends { schema: infer S extends z.ZodType }
    ? z.output<S>
    : void;

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "";

  async function send(op: Operation, input: CallInput): Promise<Response> {
    const headers = new Headers();
    const token = typeof options.token === "function" ? await options.token() : options.token;
    if (token) headers.set("authorization", `Bearer ${token}`);
    let body: BodyInit | undefined;
    if (input.body instanceof FormData) body = input.body;
    else if (input.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(input.body);
    }
    const res = await doFetch(`${base}${operationUrl(op, input)}`, {
      method: op.method,
      headers,
      body,
      signal: input.signal,
      keepalive: input.keepalive,
    });
    if (res.ok) return res;
    const parsed = errorBody.safeParse(await res.json().catch(() => null));
    if (parsed.success) {
      const { code, message, field } = parsed.data.error;
      throw new ApiError(res.status, code, message, field ?? undefined);
    }
    throw new ApiError(res.status, "http_error", `the server answered ${res.status}`);
  }

  /** Calls the operation and checks its JSON answer against the contract (a mismatch throws). */
  async function call<Op extends Operation>(op: Op, input: CallInput = {}): Promise<AnswerOf<Op>> {
    const res = await send(op, input);
    const schema = op.responses[res.status as keyof Operation["responses"]]?.schema;
    return (schema ? schema.parse(await res.json()) : undefined) as AnswerOf<Op>;
  }

  return {
    /** How this server signs people in (and, for Supabase Auth, the project URL and anon key). */
    authConfig: () => call(auth.authConfig),

    demoSession: () => call(dev.demoSession),

    candidates: (query: { limit?: number; locale?: CandidatesQuery["locale"]; cursor?: string } = {}) =>
      call(discovery.candidates, { query }),

    async feedback(targetId: string, action: FeedbackAction): Promise<void> {
      await call(discovery.feedback, { body: { targetId, action } });
    },

    suggestedRooms: (query: { limit?: number; locale?: CandidatesQuery["locale"] } = {}) =>
      call(rooms.suggestedRooms, { query }),

    room: (id: string) => call(rooms.room, { params: { id } }),

    createRoom: (body: Partial<CreateRoomBody> & { title: string }) => call(rooms.createRoom, { body }),

    joinRoom: (id: string) => call(rooms.joinRoom, { params: { id } }),

    leaveRoom: (id: string) => call(rooms.leaveRoom, { params: { id } }),

    inviteToRoom: (id: string, userId: string) => call(rooms.invite, { params: { id }, body: { userId } }),

    peopleToInvite: (id: string, query: { limit?: number; locale?: CandidatesQuery["locale"] } = {}) =>
      call(rooms.peopleToInvite, { params: { id }, query }),

    /** HOMETOWN (POST /v1/scenarios/hometown): live streams near the signed-in person. */
    hometown: (userId: string, maxResults = 20) =>
      call(scenarios.hometown, { body: { user_id: userId, max_results: maxResults } }),
    /** The two-stage feed (POST /v1/scenarios/home_feed, or category_feed with a category). */
    streamFeed: (userId: string, category: string | null) =>
      category === null
        ? call(scenarios.homeFeed, { body: { user_id: userId, ctx_device: "web" } })
        : call(scenarios.categoryFeed, { body: { user_id: userId, category_id: category, ctx_device: "web" } }),

    follows: () => call(streams.follows),

    follow: (creatorId: string) => call(streams.follow, { body: { creatorId } }),

    unfollow: (creatorId: string) => call(streams.unfollow, { params: { creatorId } }),

    /** Recommended products (GET /api/recommendations): ids with scores, and the path that answered. */
    recommendations: (query: RecommendationsRequest) => call(recommendations.recommend, { query: { ...query } }),

    /** Catalogue products by id (title, category, price), in the order asked. */
    products: (ids: readonly string[]) => call(recommendations.products, { query: { ids: ids.join(",") } }),

    favoritesStatus: () => call(favorites.favoritesStatus),

    listFavorites: (query: { limit?: number; cursor?: string } = {}) => call(favorites.listFavorites, { query }),

    saveFavorite: (body: ManualFavoriteRequest) => call(favorites.saveFavorite, { body }),

    removeFavorite: (mediaId: string) => call(favorites.removeFavorite, { params: { mediaId } }),

    searchMedia: (q: string, options: { limit?: number; signal?: AbortSignal } = {}) =>
      call(media.searchMedia, { query: { q, limit: options.limit ?? 8 }, signal: options.signal }),

    async importFile(service: ImportResult["service"], file: Blob, fileName = "upload"): Promise<ImportResult> {
      const form = new FormData();
      form.append("file", file, fileName);
      return importResponse.parse(await call(favorites.importFavorites, { params: { service }, body: form }));
    },

    /** Where to send the person to connect Spotify (503 ApiError when the server has no Spotify app). */
    async connectSpotify(): Promise<{ authorizeUrl: string }> {
      const answer = await call(favorites.importFavorites, { params: { service: "spotify" } });
      if (!("authorizeUrl" in answer)) throw new ApiError(200, "http_error", "the server sent no authorize URL");
      return answer;
    },

    profile: () => call(profile.getProfile),

    updateProfile: (change: ProfileChange) => call(profile.updateProfile, { body: change }),

    /** The end of /welcome: marks it done (it is shown once) and pre-warms the slate. */
    finishWelcome: () => call(profile.finishWelcome),

    privacySettings: () => call(privacy.getPrivacySettings),

    updatePrivacy: (change: Partial<Record<PrivacyCategory, boolean>>) =>
      call(privacy.updatePrivacySettings, { body: change }),

    /** Everything held about the caller, as the JSON file the export endpoint streams. */
    async exportData(): Promise<Blob> {
      return (await send(privacy.exportData, {})).blob();
    },

    /**
     * Behavioural events (dwell, scroll pauses…). `keepalive` lets a batch sent as the page goes
     * away still arrive; a beacon (navigator.sendBeacon) cannot carry the Authorization header.
     */
    sendEvents: (events: ClientEvent[], options: { keepalive?: boolean } = {}) =>
      call(eventsApi.ingest, { body: { events }, keepalive: options.keepalive }),

    /** The caller's behaviour features as a server-sent event stream (read with readServerSentEvents). */
    behaviourLive: (signal: AbortSignal) => send(eventsApi.live, { signal }),
    /** Report a person to the moderators. */
    report: (body: ReportBody) => call(reports.report, { body }),

    /** Moderators: open reports, oldest first. */
    openReports: (query: { limit?: number } = {}) => call(moderation.openReports, { query }),

    /** Moderators: decide an open report. */
    moderate: (reportId: number, action: ModerationAction) =>
      call(moderation.moderate, { params: { reportId: String(reportId) }, body: { action } }),

    async deleteAccount(): Promise<void> {
      await call(privacy.deleteAccount, { body: { confirm: "DELETE" } });
    },
  };
}
