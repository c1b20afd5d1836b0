"use client";

import { useCallback, useEffect, useState } from "react";
import type { FavoriteItem } from "@/api/client";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { secondaryButtonStyle } from "./styles";

// Half stars, the scale the API takes (0.5-5).
const RATINGS = Array.from({ length: 10 }, (_, i) => (i + 1) / 2);

/** The person's favorites, newest first, with a rating to edit and a remove button each. */
export function FavoriteList({
  reloadKey,
  onLoaded,
}: {
  reloadKey: number;
  /** Told the ids on screen whenever they change (manual entry needs to know what is already there). */
  onLoaded: (mediaIds: Set<string>) => void;
}) {
  const { t } = useLocale();
  const { api } = useSession();
  const [items, setItems] = useState<FavoriteItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");

  const loadFirst = useCallback(async () => {
    try {
      const page = await api.listFavorites({ limit: 50 });
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [api]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst, reloadKey]);

  async function loadMore() {
    if (!cursor) return;
    const page = await api.listFavorites({ limit: 50, cursor });
    setItems((prev) => [...(prev ?? []), ...page.items]);
    setCursor(page.nextCursor);
  }

  async function rate(item: FavoriteItem, value: string) {
    const rating = value ? Number(value) : null;
    await api.saveFavorite({ mediaId: item.mediaId, rating });
    setItems((prev) => prev?.map((i) => (i.mediaId === item.mediaId ? { ...i, rating } : i)) ?? null);
  }

  async function remove(item: FavoriteItem) {
    await api.removeFavorite(item.mediaId);
    setItems((prev) => prev?.filter((i) => i.mediaId !== item.mediaId) ?? null);
  }

  useEffect(() => {
    if (items) onLoaded(new Set(items.map((i) => i.mediaId)));
  }, [items, onLoaded]);

  if (error) return <p role="alert">{t("common.error", { message: error })}</p>;
  if (!items) return <p role="status">{t("common.loading")}</p>;
  if (items.length === 0) return <p data-testid="favorites-empty">{t("favorites.empty")}</p>;
  return (
    <>
      <ul style={{ listStyle: "none", padding: 0 }}>
        {items.map((item) => (
          <li
            key={item.mediaId}
            data-testid="favorite-item"
            data-media-id={item.mediaId}
            style={{ display: "flex", gap: "0.75rem", alignItems: "center", padding: "0.35rem 0" }}
          >
            <span style={{ flex: 1 }}>
              <strong>{item.title}</strong>
              {item.year ? ` (${item.year})` : ""} · {item.mediaType}
            </span>
            <select
              aria-label={t("favorites.rating", { title: item.title })}
              value={item.rating ?? ""}
              onChange={(e) => void rate(item, e.target.value)}
            >
              <option value="">{t("favorites.noRating")}</option>
              {RATINGS.map((r) => (
                <option key={r} value={r}>
                  {"★".repeat(Math.floor(r))}
                  {r % 1 ? "½" : ""} ({r})
                </option>
              ))}
            </select>
            <button
              type="button"
              aria-label={t("favorites.removeLabel", { title: item.title })}
              onClick={() => void remove(item)}
              style={secondaryButtonStyle}
            >
              {t("favorites.remove")}
            </button>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" onClick={() => void loadMore()} style={secondaryButtonStyle}>
          {t("favorites.more")}
        </button>
      )}
    </>
  );
}
