"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type CandidatesResponse, type FeedbackAction } from "@/api/client";
import { CandidateCard } from "./CandidateCard";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle } from "./styles";
import { useCardAttention } from "./use-card-attention";

type Candidate = CandidatesResponse["candidates"][number];
type Load = { state: "loading" } | { state: "ready"; candidates: Candidate[] } | { state: "error"; message: string };

const SLATE_SIZE = 10;

/** Ten people from discovery; every action posts feedback and fetches the slate it changed. */
export function Carousel() {
  const { t, locale } = useLocale();
  const { api, signOut } = useSession();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");
  const carousel = useRef<HTMLDivElement>(null);
  useCardAttention(carousel, api, load.state === "ready" ? load.candidates.map((c) => c.userId).join() : "");

  const fetchSlate = useCallback(async () => {
    try {
      const slate = await api.candidates({ limit: SLATE_SIZE, locale });
      setLoad({ state: "ready", candidates: slate.candidates });
      setActive(0);
    } catch (err) {
      // The server no longer accepts this session (expired beyond refresh, account deleted).
      if (err instanceof ApiError && err.status === 401) return signOut(err.message);
      setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) });
    }
  }, [api, locale, signOut]);

  useEffect(() => {
    void fetchSlate();
  }, [fetchSlate]);

  // Someone who has not been through /welcome (it is shown once after sign-up) is offered it here.
  const [welcomePending, setWelcomePending] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .profile()
      .then((p) => live && setWelcomePending(!p.onboarded))
      .catch(() => {}); // the slate's own error handling speaks for the session
    return () => {
      live = false;
    };
  }, [api]);

  const act = useCallback(
    async (candidate: Candidate, action: FeedbackAction) => {
      setBusy(true);
      try {
        await api.feedback(candidate.userId, action);
        setNotice(
          t(`discover.sent.${action as "pass" | "connect" | "more_like_this" | "less_like_this"}`, {
            name: candidate.displayName,
          }),
        );
        await fetchSlate();
      } catch (err) {
        setNotice(t("common.error", { message: err instanceof Error ? err.message : String(err) }));
      } finally {
        setBusy(false);
      }
    },
    [api, fetchSlate, t],
  );

  // Left / right arrows pass on or connect with the highlighted card, unless typing somewhere.
  useEffect(() => {
    if (load.state !== "ready") return;
    function onKey(e: KeyboardEvent) {
      if (busy || e.altKey || e.ctrlKey || e.metaKey) return;
      if ((e.target as HTMLElement | null)?.closest("input, select, textarea")) return;
      const candidate = load.state === "ready" ? load.candidates[active] : undefined;
      if (!candidate) return;
      if (e.key === "ArrowLeft") void act(candidate, "pass");
      else if (e.key === "ArrowRight") void act(candidate, "connect");
      else return;
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [load, active, busy, act]);

  return (
    <section aria-labelledby="discover-title" aria-busy={load.state === "loading" || busy}>
      <h2 id="discover-title">{t("discover.title")}</h2>
      {welcomePending && (
        <p data-testid="welcome-prompt" style={noticeStyle}>
          <Link href="/welcome">{t("welcome.prompt")}</Link>
        </p>
      )}
      <p>{t("discover.keyboardHint")}</p>
      <p role="status" data-testid="carousel-notice" style={notice ? noticeStyle : undefined}>
        {notice}
      </p>
      {load.state === "loading" && <p data-testid="carousel-loading">{t("common.loading")}</p>}
      {load.state === "error" && (
        <div role="alert" data-testid="carousel-error">
          <p>{t("common.error", { message: load.message })}</p>
          <button type="button" onClick={() => void fetchSlate()} style={buttonStyle}>
            {t("common.retry")}
          </button>
        </div>
      )}
      {load.state === "ready" && load.candidates.length === 0 && (
        <div data-testid="carousel-empty" style={noticeStyle}>
          <p>{t("discover.empty")}</p>
          <Link href="/favorites">{t("discover.addFavorites")}</Link>
        </div>
      )}
      {load.state === "ready" && load.candidates.length > 0 && (
        <div
          ref={carousel}
          data-testid="carousel"
          style={{ display: "flex", gap: "1rem", overflowX: "auto", scrollSnapType: "x mandatory", padding: 4 }}
        >
          {load.candidates.map((c, i) => (
            <CandidateCard
              key={c.userId}
              candidate={c}
              position={i + 1}
              total={load.candidates.length}
              active={i === active}
              disabled={busy}
              onAct={(action) => void act(c, action)}
              onFocusCard={() => setActive(i)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
