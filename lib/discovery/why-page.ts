import type { Db } from "../db/types";
import { presentEntry } from "./present";
import type { Locale } from "./types";
import { responseLocale } from "./viewer-locale";
import { explainCandidate } from "./why";

/** GET /why/:targetId as the API answers it: the candidate as the slate shows it, in the viewer's language. */
export async function whyPage(
  db: Db,
  viewerId: string,
  targetId: string,
  request: { locale?: Locale; acceptLanguage: string | null },
) {
  const answer = await explainCandidate(db, viewerId, targetId);
  const locale = await responseLocale(db, viewerId, request.locale, request.acceptLanguage);
  return { ...presentEntry(answer.entry, locale), modelVersion: answer.modelVersion };
}
