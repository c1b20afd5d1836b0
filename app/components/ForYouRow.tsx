"use client";

import { useEffect, useState } from "react";
import type { FeedResponse } from "@/api/client";
import { CategoryChips } from "./CategoryChips";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { cardStyle, noticeStyle } from "./styles";
import { useStreamWatch } from "./use-stream-watch";
import { WatchButton } from "./WatchButton";

type Load = { state: "loading" } | { state: "ready"; feed: FeedResponse } | { state: "error"; message: string };

/**
 * "For you": the home feed (POST /v1/scenarios/home_feed) with each stream's reason; a category
 * chip asks for that category's feed (category_feed), "All" for the home feed again. Watching a
 * stream sends a watch event carrying the feed's request id, so its watch time labels the ranker.
 */
export function ForYouRow() {
  const { t } = useLocale();
  const { api, session } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [category, setCategory] = useState<string | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const userId = session?.userId;
  const { watching, toggle } = useStreamWatch(api, "for-you");

  useEffect(() => {
    if (!userId) return;
    let live = true;
    api
      .streamFeed(userId, category)
      .then((feed) => {
        if (!live) return;
        setLoad({ state: "ready", feed });
        if (category === null) setCategories([...new Set(feed.streams.map((s) => s.category))].sort());
      })
      .catch(
        (err: unknown) =>
          live && setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      live = false;
    };
  }, [api, userId, category]);

  const feed = load.state === "ready" ? load.feed : null;
  return (
    <section aria-labelledby="for-you-title" data-testid="for-you-row">
      <h2 id="for-you-title">{t("live.forYou")}</h2>
      {load.state === "loading" && <p role="status">{t("common.loading")}</p>}
      {load.state === "error" && <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>}
      {feed && <p data-testid="for-you-model">{t("live.forYouModel", { model: feed.model_version })}</p>}
      {feed && feed.streams.length === 0 && <p>{t("live.empty")}</p>}
      <CategoryChips categories={categories} selected={category} onSelect={setCategory} testId="for-you-chip" />
      <ul
        data-request-id={feed?.request_id}
        style={{ display: "flex", gap: "0.75rem", overflowX: "auto", listStyle: "none", padding: 0 }}
      >
        {(feed?.streams ?? []).map((s) => (
          <li
            key={s.stream_id}
            data-testid="for-you-card"
            data-stream-id={s.stream_id}
            data-category={s.category}
            style={{ ...cardStyle, minWidth: 220 }}
          >
            <p style={{ fontWeight: 600, margin: 0 }}>{s.title}</p>
            <p style={{ margin: "0.25rem 0" }}>
              {s.category} · {t("live.watching", { count: s.viewer_count })}
            </p>
            <p data-testid="for-you-reason" style={{ margin: 0 }}>
              {s.reason}
            </p>
            <WatchButton active={watching === s.stream_id} onToggle={() => toggle(s.stream_id, feed?.request_id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
