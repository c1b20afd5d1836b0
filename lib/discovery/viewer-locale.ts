import type { Queryable } from "../db/types";
import { localeFromAcceptLanguage } from "./locale";
import type { Locale } from "./types";

/**
 * The language to answer in: ?locale=, else Accept-Language, else the viewer's profile locale
 * (read only when the request names no supported language).
 */
export async function responseLocale(
  db: Queryable,
  viewerId: string,
  param: Locale | undefined,
  acceptLanguage: string | null,
): Promise<Locale> {
  const asked = param ?? localeFromAcceptLanguage(acceptLanguage);
  if (asked) return asked;
  const rows = await db.query<{ locale: string }>(`SELECT locale FROM profiles WHERE user_id = $1`, [viewerId]);
  return rows[0]?.locale === "es" ? "es" : "en";
}
