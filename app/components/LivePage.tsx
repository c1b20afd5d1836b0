"use client";

import { useLocale } from "./locale";
import { ForYouRow } from "./ForYouRow";
import { NearYouRow } from "./NearYouRow";
import { RequireSession } from "./RequireSession";

/** /live: live streams. "Near you" is HOMETOWN; "For you" is the two-stage home feed, chips the category feed. */
export function LivePage() {
  const { t } = useLocale();
  return (
    <>
      <h1>{t("live.title")}</h1>
      <RequireSession>
        <NearYouRow />
        <ForYouRow />
      </RequireSession>
    </>
  );
}
