"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "@/api/client";
import type { RoomDetail } from "@/api/rooms";
import { InvitePanel } from "./InvitePanel";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle, secondaryButtonStyle } from "./styles";

type Load =
  | { state: "loading" }
  | { state: "ready"; room: RoomDetail }
  | { state: "missing" }
  | { state: "error"; message: string };

/** A live room: who hosts it, who is inside, join or leave, and (inside) the people to invite. */
export function RoomPage({ id }: { id: string }) {
  const { t } = useLocale();
  const { api } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [busy, setBusy] = useState(false);

  const fetchRoom = useCallback(async () => {
    try {
      setLoad({ state: "ready", room: await api.room(id) });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return setLoad({ state: "missing" });
      setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) });
    }
  }, [api, id]);

  useEffect(() => {
    void fetchRoom();
  }, [fetchRoom]);

  const toggle = async (inside: boolean) => {
    setBusy(true);
    try {
      await (inside ? api.leaveRoom(id) : api.joinRoom(id));
      await fetchRoom();
    } finally {
      setBusy(false);
    }
  };

  if (load.state === "loading") return <p role="status">{t("room.loading")}</p>;
  if (load.state === "missing") return <p style={noticeStyle}>{t("room.notFound")}</p>;
  if (load.state === "error") return <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>;
  const { room } = load;
  const canInvite = room.open && (room.inside || room.isHost);
  return (
    <article data-testid="room-page" data-room-id={room.id}>
      <p>
        <Link href="/">{t("room.back")}</Link>
      </p>
      <h1>{room.title}</h1>
      <p>{t("room.host", { name: room.host.displayName })}</p>
      {room.tags.length > 0 && <p>{room.tags.map((g) => `#${g}`).join(" ")}</p>}
      {!room.open && <p style={noticeStyle}>{t("room.closed")}</p>}
      {room.open && (
        <button
          type="button"
          data-testid={room.inside ? "room-leave" : "room-join"}
          style={room.inside ? secondaryButtonStyle : buttonStyle}
          disabled={busy}
          onClick={() => void toggle(room.inside)}
        >
          {room.inside ? t("room.leave") : t("room.join")}
        </button>
      )}
      <h2>{t("room.inside", { count: room.attendees.length })}</h2>
      <ul data-testid="room-attendees">
        {room.attendees.map((a) => (
          <li key={a.userId} data-user-id={a.userId}>
            {a.displayName}
          </li>
        ))}
      </ul>
      <h2>{t("room.invite.title")}</h2>
      {canInvite ? (
        <InvitePanel roomId={room.id} key={room.attendees.length} />
      ) : (
        <p data-testid="invite-join-first">{t("room.invite.joinFirst")}</p>
      )}
    </article>
  );
}
