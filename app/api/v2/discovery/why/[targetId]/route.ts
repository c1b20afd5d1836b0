import { whyParams, whyQuery, type WhyResponse } from "@/api/discovery";
import { getDb } from "@/lib/db";
import { presentEntry } from "@/lib/discovery/present";
import { responseLocale } from "@/lib/discovery/viewer-locale";
import { explainCandidate } from "@/lib/discovery/why";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, context: { params: Promise<{ targetId: string }> }) => {
  const viewer = await signedInViewer(request);
  const { targetId } = whyParams.parse(await context.params);
  const query = whyQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = await getDb();
  const answer = await explainCandidate(db, viewer.userId, targetId);
  const locale = await responseLocale(db, viewer.userId, query.locale, request.headers.get("accept-language"));
  const body: WhyResponse = { ...presentEntry(answer.entry, locale), modelVersion: answer.modelVersion };
  return json(body);
});
