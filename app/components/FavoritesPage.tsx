"use client";

import { useCallback, useState } from "react";
import { AddFavorite } from "./AddFavorite";
import { FavoriteList } from "./FavoriteList";
import { ImportPanel, SpotifyConnect } from "./ImportPanel";
import { useLocale } from "./locale";
import { RequireSession } from "./RequireSession";

export function FavoritesPage() {
  const { t } = useLocale();
  // Bumped whenever something on the page changed the favorites, so the list re-reads them.
  const [reloadKey, setReloadKey] = useState(0);
  const changed = () => setReloadKey((k) => k + 1);
  const [knownIds, setKnownIds] = useState<Set<string>>(new Set());
  const onLoaded = useCallback((ids: Set<string>) => setKnownIds(ids), []);
  return (
    <>
      <h1>{t("favorites.title")}</h1>
      <RequireSession>
        <SpotifyConnect />
        <ImportPanel onImported={changed} />
        <AddFavorite onChange={changed} knownIds={knownIds} />
        <h2>{t("favorites.title")}</h2>
        <FavoriteList reloadKey={reloadKey} onLoaded={onLoaded} />
      </RequireSession>
    </>
  );
}
