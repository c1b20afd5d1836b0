"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { SuggestedRoom } from "@/api/rooms";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { cardStyle, noticeStyle } from "./styles";

type Load = { state: "loading" } | { state: "ready"; rooms: SuggestedRoom[] } | { state: "error"; message: string };

/** The home page's row of live rooms, ranked for the viewer, each linking to its room page. */
export function RoomsRow() {
  const { t, locale } = useLocale();
  const { api } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });

  useEffect(() => {
    let live = true;
    api
      .suggestedRooms({ limit: 8, locale })
      .then((answer) => live && setLoad({ state: "ready", rooms: answer.rooms }))
      .catch(
        (err: unknown) =>
          live && setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      live = false;
    };
  }, [api, locale]);

  return (
    <section aria-labelledby="rooms-title" data-testid="rooms-row">
      <h2 id="rooms-title">{t("rooms.title")}</h2>
      {load.state === "loading" && <p role="status">{t("common.loading")}</p>}
      {load.state === "error" && <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>}
      {load.state === "ready" && load.rooms.length === 0 && <p>{t("rooms.empty")}</p>}
      {load.state === "ready" && load.rooms.length > 0 && (
        <ul style={{ display: "flex", gap: "0.75rem", overflowX: "auto", listStyle: "none", padding: 0 }}>
          {load.rooms.map((room) => (
            <li key={room.id} data-testid="room-card" data-room-id={room.id} style={{ ...cardStyle, minWidth: 220 }}>
              <Link href={`/rooms/${room.id}`} style={{ fontWeight: 600 }}>
                {room.title}
              </Link>
              <p style={{ margin: "0.25rem 0" }}>{t("rooms.people", { count: room.attendees })}</p>
              {room.tags.length > 0 && (
                <p style={{ margin: 0, color: "#374151" }}>{room.tags.map((g) => `#${g}`).join(" ")}</p>
              )}
              <ul data-testid="room-reasons" style={{ paddingLeft: "1rem" }}>
                {room.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
