"use client";

import { useEffect, useState } from "react";
import type { InviteResponse } from "@/api/rooms";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { noticeStyle, secondaryButtonStyle } from "./styles";

type Person = InviteResponse["people"][number];
type Load = { state: "loading" } | { state: "ready"; people: Person[] } | { state: "error"; message: string };

/** Active people close to the room's taste, each with an invite button. */
export function InvitePanel({ roomId }: { roomId: string }) {
  const { t, locale } = useLocale();
  const { api } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [invited, setInvited] = useState<Set<string>>(new Set());

  useEffect(() => {
    let live = true;
    api
      .peopleToInvite(roomId, { limit: 10, locale })
      .then((answer) => live && setLoad({ state: "ready", people: answer.people }))
      .catch(
        (err: unknown) =>
          live && setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      live = false;
    };
  }, [api, roomId, locale]);

  const invite = async (userId: string) => {
    await api.inviteToRoom(roomId, userId);
    setInvited((prev) => new Set(prev).add(userId));
  };

  return (
    <section data-testid="invite-panel" aria-live="polite">
      {load.state === "loading" && <p role="status">{t("common.loading")}</p>}
      {load.state === "error" && <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>}
      {load.state === "ready" && load.people.length === 0 && <p data-testid="invite-empty">{t("room.invite.empty")}</p>}
      {load.state === "ready" && load.people.length > 0 && (
        <ul>
          {load.people.map((p) => (
            <li key={p.userId} data-testid="invite-person" data-user-id={p.userId}>
              {p.displayName} · {p.reasons.join(" · ")}{" "}
              <button
                type="button"
                style={secondaryButtonStyle}
                disabled={invited.has(p.userId)}
                onClick={() => void invite(p.userId)}
              >
                {invited.has(p.userId) ? t("room.invite.sent") : t("room.invite.button")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
