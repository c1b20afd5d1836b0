"use client";

import { useRef, useState, type PointerEvent } from "react";
import type { CandidatesResponse, FeedbackAction } from "@/api/client";
import { avatarColour, initials } from "./initials";
import { useLocale } from "./locale";
import { buttonStyle, cardStyle, secondaryButtonStyle } from "./styles";

type Candidate = CandidatesResponse["candidates"][number];
type SharedFavorite = Candidate["sharedFavorites"]["items"][number];

// How far (px) a card must be dragged to count as a swipe rather than a tap. Sideways: pass (left)
// or connect (right); up or down: more or less like this (swipe-to-tune). Vertical drags are for a
// mouse or pen: on touch screens they scroll the page (touch-action: pan-y), and the buttons tune.
const SWIPE_THRESHOLD = 80;

/** The action a drag of (dx, dy) px stands for, if any: the longer axis decides. */
export function swipeAction(dx: number, dy: number): FeedbackAction | null {
  if (Math.abs(dx) >= Math.abs(dy)) {
    if (dx > SWIPE_THRESHOLD) return "connect";
    if (dx < -SWIPE_THRESHOLD) return "pass";
    return null;
  }
  if (dy < -SWIPE_THRESHOLD) return "more_like_this";
  if (dy > SWIPE_THRESHOLD) return "less_like_this";
  return null;
}

interface Props {
  candidate: Candidate;
  position: number;
  total: number;
  active: boolean;
  disabled: boolean;
  onAct: (action: FeedbackAction) => void;
  onFocusCard: () => void;
}

export function CandidateCard({ candidate, position, total, active, disabled, onAct, onFocusCard }: Props) {
  const { t } = useLocale();
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const [drag, setDrag] = useState({ dx: 0, dy: 0 });

  function onPointerDown(e: PointerEvent<HTMLElement>) {
    if ((e.target as HTMLElement).closest("button")) return;
    start.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
    // Keep the drag's events on this card when the pointer leaves it (a mouse has no implicit capture).
    e.currentTarget.setPointerCapture?.(e.pointerId);
    onFocusCard();
  }
  function onPointerMove(e: PointerEvent<HTMLElement>) {
    if (start.current?.id === e.pointerId) {
      setDrag({ dx: e.clientX - start.current.x, dy: e.clientY - start.current.y });
    }
  }
  function onPointerEnd(e: PointerEvent<HTMLElement>) {
    if (start.current?.id !== e.pointerId) return;
    const action = swipeAction(e.clientX - start.current.x, e.clientY - start.current.y);
    start.current = null;
    setDrag({ dx: 0, dy: 0 });
    if (!disabled && action) onAct(action);
  }

  // Older servers sent titles only; they show without covers.
  const shared: SharedFavorite[] = (
    candidate.sharedFavorites.items ?? candidate.sharedFavorites.titles.map((title) => ({ title, coverUrl: null }))
  ).slice(0, 3);
  const band = candidate.distanceBand ?? "unknown";
  return (
    <article
      data-testid="candidate-card"
      data-user-id={candidate.userId}
      aria-label={t("discover.cardLabel", { name: candidate.displayName, position, total })}
      aria-current={active ? "true" : undefined}
      tabIndex={0}
      onFocus={onFocusCard}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      style={{
        ...cardStyle,
        flex: "0 0 260px",
        scrollSnapAlign: "start",
        touchAction: "pan-y",
        transform: drag.dx || drag.dy ? `translate(${drag.dx}px, ${drag.dy}px) rotate(${drag.dx / 40}deg)` : undefined,
        outline: active ? "3px solid #4338ca" : undefined,
        display: "flex",
        flexDirection: "column",
        gap: "0.5rem",
      }}
    >
      <div style={{ display: "flex", alignItems: "center", gap: "0.75rem" }}>
        <span
          aria-hidden="true"
          style={{
            width: 48,
            height: 48,
            borderRadius: "50%",
            background: avatarColour(candidate.userId),
            color: "#fff",
            display: "inline-flex",
            alignItems: "center",
            justifyContent: "center",
            fontWeight: 700,
          }}
        >
          {initials(candidate.displayName)}
        </span>
        <h3 style={{ margin: 0 }}>{candidate.displayName}</h3>
      </div>
      <p style={{ margin: 0, color: "#374151" }} data-testid="distance-band" data-band={band}>
        {t(`discover.distance.${band}`)}
      </p>
      {shared.length > 0 && (
        <div data-testid="shared-favorites">
          <p style={{ margin: 0 }} id={`shared-${candidate.userId}`}>
            {t("discover.shared")}:
          </p>
          <ul
            aria-labelledby={`shared-${candidate.userId}`}
            style={{ listStyle: "none", margin: "0.25rem 0 0", padding: 0, display: "flex", gap: "0.5rem" }}
          >
            {shared.map((item, i) => (
              <SharedTitle key={`${i}:${item.title}`} item={item} />
            ))}
          </ul>
        </div>
      )}
      <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
        {candidate.reasons.slice(0, 2).map((reason) => (
          <li key={reason} data-testid="candidate-reason">
            {reason}
          </li>
        ))}
      </ul>
      <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", marginTop: "auto" }}>
        <button type="button" disabled={disabled} onClick={() => onAct("pass")} style={secondaryButtonStyle}>
          ← {t("discover.pass")}
        </button>
        <button
          type="button"
          data-testid="connect"
          disabled={disabled}
          onClick={() => onAct("connect")}
          style={buttonStyle}
        >
          {t("discover.connect")} →
        </button>
        <button type="button" disabled={disabled} onClick={() => onAct("more_like_this")} style={secondaryButtonStyle}>
          {t("discover.more")}
        </button>
        <button type="button" disabled={disabled} onClick={() => onAct("less_like_this")} style={secondaryButtonStyle}>
          {t("discover.less")}
        </button>
      </div>
    </article>
  );
}

const COVER = { width: 56, height: 84 };

/** One shared favorite: its cover when the catalogue knows one (else a plain tile), and the title. */
function SharedTitle({ item }: { item: SharedFavorite }) {
  const { t } = useLocale();
  // A cover host that fails leaves the title, not a broken-image icon.
  const [failed, setFailed] = useState(false);
  const showCover = item.coverUrl !== null && !failed;
  return (
    <li data-testid="shared-favorite" style={{ width: COVER.width, fontSize: "0.75rem", lineHeight: 1.2 }}>
      {showCover ? (
        // A plain <img>: covers come from whichever host the catalogue names, which the image
        // optimizer would need listed at build time. No referrer: the host need not know the page.
        <img
          src={item.coverUrl!}
          alt={t("discover.coverAlt", { title: item.title })}
          width={COVER.width}
          height={COVER.height}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setFailed(true)}
          style={{ objectFit: "cover", borderRadius: 4, display: "block", background: "#e0e7ff" }}
        />
      ) : (
        <span aria-hidden="true" style={{ ...COVER, display: "block", borderRadius: 4, background: "#e0e7ff" }} />
      )}
      <span style={{ display: "block", marginTop: 2, overflowWrap: "anywhere" }}>{item.title}</span>
    </li>
  );
}
