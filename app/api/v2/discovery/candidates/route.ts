import { encodeCursor, parseCandidatesQuery, type CandidatesResponse } from "@/api/discovery";
import { getDb } from "@/lib/db";
import { serveCandidates, serverTiming, type StageTimings } from "@/lib/discovery/pipeline";
import { presentEntry } from "@/lib/discovery/present";
import { responseLocale } from "@/lib/discovery/viewer-locale";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const query = parseCandidatesQuery(new URL(request.url));
  const db = await getDb();
  const offset = query.cursor ?? 0;
  const timings: Partial<StageTimings> = {};
  const page = await serveCandidates(db, viewer.userId, { limit: query.limit, offset, timings });
  const locale = await responseLocale(db, viewer.userId, query.locale, request.headers.get("accept-language"));
  const end = offset + page.items.length;
  const more = end < page.total || (!page.complete && page.items.length > 0);
  const body: CandidatesResponse = {
    candidates: page.items.map((e) => presentEntry(e, locale)),
    modelVersion: page.modelVersion,
    generatedAt: page.generatedAt,
    cached: page.cached,
    nextCursor: more ? encodeCursor(end) : null,
  };
  // Stage durations only (no ids, no scores): readable in the browser's dev tools and by monitoring.
  return json(body, 200, { "server-timing": serverTiming(timings, page.cached) });
});
