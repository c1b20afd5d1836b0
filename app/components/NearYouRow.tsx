"use client";

import { useEffect, useState } from "react";
import type { HometownResponse } from "@/api/client";
import { CategoryChips } from "./CategoryChips";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { cardStyle, noticeStyle, secondaryButtonStyle } from "./styles";
import { useStreamWatch } from "./use-stream-watch";
import { WatchButton } from "./WatchButton";

type Stream = HometownResponse["streams"][number];
type Load = { state: "loading" } | { state: "ready"; streams: Stream[] } | { state: "error"; message: string };

/** HOMETOWN's row: live streams near the viewer with their reasons, category chips, Follow and Watch. */
export function NearYouRow() {
  const { t } = useLocale();
  const { api, session } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [category, setCategory] = useState<string | null>(null);
  const [followed, setFollowed] = useState<Set<string>>(new Set());
  const userId = session?.userId;
  // HOMETOWN's answer has no request id: its watches carry the surface only.
  const { watching, toggle } = useStreamWatch(api, "near-you");

  useEffect(() => {
    if (!userId) return;
    let live = true;
    Promise.all([api.hometown(userId, 30), api.follows()])
      .then(([near, follows]) => {
        if (!live) return;
        setFollowed(new Set(follows.follows.map((f) => f.creatorId)));
        setLoad({ state: "ready", streams: near.streams });
      })
      .catch(
        (err: unknown) =>
          live && setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      live = false;
    };
  }, [api, userId]);

  const follow = async (creatorId: string) => {
    await api.follow(creatorId);
    setFollowed((s) => new Set(s).add(creatorId));
  };
  const streams = load.state === "ready" ? load.streams : [];
  const categories = [...new Set(streams.map((s) => s.category))].sort();
  const shown = streams.filter((s) => category === null || s.category === category);

  return (
    <section aria-labelledby="near-you-title" data-testid="near-you-row">
      <h2 id="near-you-title">{t("live.nearYou")}</h2>
      {load.state === "loading" && <p role="status">{t("common.loading")}</p>}
      {load.state === "error" && <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>}
      {load.state === "ready" && streams.length === 0 && <p>{t("live.empty")}</p>}
      <CategoryChips categories={categories} selected={category} onSelect={setCategory} testId="category-chip" />
      <ul style={{ display: "flex", gap: "0.75rem", overflowX: "auto", listStyle: "none", padding: 0 }}>
        {shown.map((s) => (
          <li
            key={s.stream_id}
            data-testid="stream-card"
            data-category={s.category}
            style={{ ...cardStyle, minWidth: 240 }}
          >
            <p style={{ fontWeight: 600, margin: 0 }}>{s.title}</p>
            <p style={{ margin: "0.25rem 0" }}>
              {s.city} · {s.category} · {t("live.watching", { count: s.viewer_count })}
            </p>
            <ul data-testid="stream-reasons" style={{ paddingLeft: "1rem" }}>
              {s.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <button
              type="button"
              data-testid="follow"
              disabled={followed.has(s.creator_id) || s.creator_id === userId}
              onClick={() => void follow(s.creator_id)}
              style={secondaryButtonStyle}
            >
              {followed.has(s.creator_id) ? t("live.following") : t("live.follow")}
            </button>{" "}
            <WatchButton active={watching === s.stream_id} onToggle={() => toggle(s.stream_id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
