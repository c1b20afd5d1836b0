"use client";

import { useEffect, useRef, useState } from "react";
import type { MediaSuggestion } from "@/api/client";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { cardStyle, secondaryButtonStyle } from "./styles";

// Auto-complete waits this long after the last keystroke, so typing a word is one request.
const DEBOUNCE_MS = 150;
// How long "Undo" stays offered after adding.
const UNDO_MS = 10_000;

interface Added {
  item: MediaSuggestion;
  mediaId: string;
  created: boolean;
}

/** Manual entry: type, pick a suggestion, see it added, undo within 10 seconds. */
export function AddFavorite({ onChange, knownIds }: { onChange: () => void; knownIds: Set<string> }) {
  const { t } = useLocale();
  const { api } = useSession();
  const [query, setQuery] = useState("");
  const [suggestions, setSuggestions] = useState<MediaSuggestion[] | null>(null);
  const [added, setAdded] = useState<Added | null>(null);
  const [message, setMessage] = useState("");
  const undoTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setSuggestions(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.searchMedia(q, { signal: controller.signal }).then(
        (res) => setSuggestions(res.items),
        () => {}, // aborted by the next keystroke, or a transient failure: the next keystroke retries
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, api]);

  useEffect(() => () => clearTimeout(undoTimer.current ?? undefined), []);

  async function choose(item: MediaSuggestion) {
    const saved = await api.saveFavorite({ mediaId: item.mediaId });
    setQuery("");
    setSuggestions(null);
    setMessage("");
    // `created` only says a manual entry was created: a title already imported from Letterboxd is
    // not new to the person, and undoing must not remove it (DELETE removes every source).
    setAdded({ item, mediaId: saved.mediaId, created: saved.created && !knownIds.has(saved.mediaId) });
    clearTimeout(undoTimer.current ?? undefined);
    undoTimer.current = setTimeout(() => setAdded(null), UNDO_MS);
    onChange();
  }

  async function undo() {
    if (!added) return;
    clearTimeout(undoTimer.current ?? undefined);
    await api.removeFavorite(added.mediaId);
    setMessage(t("favorites.undone", { title: added.item.title }));
    setAdded(null);
    onChange();
  }

  return (
    <section aria-labelledby="add-favorite-title">
      <h2 id="add-favorite-title">{t("favorites.add")}</h2>
      <label htmlFor="favorite-search">{t("favorites.search")}</label>
      <br />
      <input
        id="favorite-search"
        data-testid="favorite-search"
        type="search"
        role="combobox"
        aria-expanded={!!suggestions?.length}
        aria-controls="favorite-suggestions"
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        style={{ width: "100%", maxWidth: 420, padding: "0.4rem", fontSize: "1rem" }}
      />
      {suggestions && (
        <ul id="favorite-suggestions" role="listbox" style={{ listStyle: "none", padding: 0, maxWidth: 420 }}>
          {suggestions.length === 0 && <li>{t("favorites.noResults")}</li>}
          {suggestions.map((s) => (
            <li key={s.mediaId} role="option" aria-selected="false">
              <button
                type="button"
                data-testid="favorite-suggestion"
                data-media-id={s.mediaId}
                onClick={() => void choose(s)}
                style={{ ...secondaryButtonStyle, width: "100%", textAlign: "left", marginTop: 4 }}
              >
                {s.title}
                {s.year ? ` (${s.year})` : ""} · {s.mediaType}
              </button>
            </li>
          ))}
        </ul>
      )}
      {added && (
        <div data-testid="favorite-added" role="status" style={{ ...cardStyle, maxWidth: 420, marginTop: 8 }}>
          <strong>
            {added.created
              ? t("favorites.added", { title: added.item.title })
              : t("favorites.already", { title: added.item.title })}
          </strong>
          <div>
            {added.item.mediaType}
            {added.item.year ? ` · ${added.item.year}` : ""}
          </div>
          {/* Undo only removes what this add created, never a favorite that was already there. */}
          {added.created && (
            <button type="button" data-testid="favorite-undo" onClick={() => void undo()} style={secondaryButtonStyle}>
              {t("favorites.undo")}
            </button>
          )}
        </div>
      )}
      {message && (
        <p role="status" data-testid="favorite-undone">
          {message}
        </p>
      )}
    </section>
  );
}
