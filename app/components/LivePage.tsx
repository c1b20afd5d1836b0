"use client";

import { useLocale } from "./locale";
import { NearYouRow } from "./NearYouRow";
import { RequireSession } from "./RequireSession";

/** /live: live streams. "Near you" is HOMETOWN; "For you" (the two-stage feed) is planned. */
export function LivePage() {
  const { t } = useLocale();
  return (
    <>
      <h1>{t("live.title")}</h1>
      <RequireSession>
        <NearYouRow />
        <section aria-labelledby="for-you-title" data-testid="for-you-row">
          <h2 id="for-you-title">{t("live.forYou")}</h2>
          <p>{t("live.forYouPlanned")}</p>
        </section>
      </RequireSession>
    </>
  );
}
