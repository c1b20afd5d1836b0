"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, type ProfileChange, type ProfileResponse } from "@/api/client";
import { goals as goalList, type Goal } from "@/lib/discovery/goals";
import { AddFavorite } from "./AddFavorite";
import { ImportPanel } from "./ImportPanel";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle, secondaryButtonStyle } from "./styles";

type Step = 1 | 2 | 3;
const field = { display: "block", width: "100%", maxWidth: 420, padding: "0.4rem", fontSize: "1rem" } as const;
const splitList = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Onboarding, shown once after sign-up (§9.1): interests and goals, city, then favorites. Each
 * step saves through PUT /api/v2/profile; finishing (or skipping) calls POST /api/v2/profile/welcome,
 * which marks it done and pre-warms the slate, then opens the carousel. Someone already onboarded
 * is sent straight to the carousel.
 */
export function WelcomePage() {
  const { t } = useLocale();
  const { api } = useSession();
  const router = useRouter();
  const [profile, setProfile] = useState<ProfileResponse | null>(null);
  const [step, setStep] = useState<Step>(1);
  const [hobbies, setHobbies] = useState("");
  const [communities, setCommunities] = useState("");
  const [goals, setGoals] = useState<Goal[]>([]);
  const [birthday, setBirthday] = useState("");
  const [city, setCity] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [noKnownIds] = useState<Set<string>>(() => new Set());

  useEffect(() => {
    let live = true;
    api
      .profile()
      .then((p) => {
        if (!live) return;
        if (p.onboarded) return router.replace("/");
        setProfile(p);
        setHobbies(p.hobbies.join(", "));
        setCommunities(p.communities.join(", "));
        setGoals(p.goals);
        setCity(p.city ?? "");
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [api, router]);

  async function save(change: ProfileChange, next: Step): Promise<void> {
    setBusy(true);
    setError("");
    try {
      setProfile(await api.updateProfile(change));
      setStep(next);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function finish(): Promise<void> {
    setBusy(true);
    setNotice(t("welcome.finishing"));
    try {
      await api.finishWelcome();
      router.push("/");
    } catch (err) {
      setNotice("");
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  function submitInterests(e: FormEvent) {
    e.preventDefault();
    void save(
      {
        hobbies: splitList(hobbies),
        communities: splitList(communities),
        goals,
        ...(birthday ? { birthday } : {}),
      },
      2,
    );
  }

  function submitCity(e: FormEvent) {
    e.preventDefault();
    if (!city.trim() || city === profile?.city) return setStep(3);
    void save({ city: city.trim() }, 3);
  }

  function locate() {
    if (!navigator.geolocation) return setError(t("welcome.locationFailed"));
    setNotice(t("welcome.locating"));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setNotice("");
        void save({ position: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } }, 2);
      },
      () => {
        setNotice("");
        setError(t("welcome.locationFailed"));
      },
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 600_000 },
    );
  }

  // The position's place name arrives with the saved profile.
  useEffect(() => {
    if (profile?.city) setCity(profile.city);
  }, [profile?.city]);

  if (!profile && !error) return <p role="status">{t("common.loading")}</p>;
  return (
    <section aria-labelledby="welcome-title" data-testid="welcome" data-step={step}>
      <h1 id="welcome-title">{t("welcome.title")}</h1>
      <p>{t("welcome.step", { step })}</p>
      {error && (
        <p role="alert" data-testid="welcome-error" style={{ ...noticeStyle, background: "#fef2f2", color: "#7f1d1d" }}>
          {error}
        </p>
      )}
      <p role="status" style={notice ? noticeStyle : undefined}>
        {notice}
      </p>

      {step === 1 && (
        <form onSubmit={submitInterests} style={{ display: "grid", gap: "0.75rem" }}>
          <h2>{t("welcome.interestsTitle")}</h2>
          <label>
            {t("welcome.hobbies")}
            <input
              data-testid="welcome-hobbies"
              value={hobbies}
              onChange={(e) => setHobbies(e.target.value)}
              style={field}
            />
          </label>
          <label>
            {t("welcome.communities")}
            <input
              data-testid="welcome-communities"
              value={communities}
              onChange={(e) => setCommunities(e.target.value)}
              style={field}
            />
          </label>
          <fieldset>
            <legend>{t("welcome.goals")}</legend>
            {goalList.map((g) => (
              <label key={g} style={{ marginRight: "1rem" }}>
                <input
                  type="checkbox"
                  data-testid={`welcome-goal-${g}`}
                  checked={goals.includes(g)}
                  onChange={(e) => setGoals((cur) => (e.target.checked ? [...cur, g] : cur.filter((x) => x !== g)))}
                />{" "}
                {t(`welcome.goal.${g}`)}
              </label>
            ))}
            <p style={{ margin: "0.25rem 0 0", color: "#374151" }}>{t("welcome.goalsHelp")}</p>
          </fieldset>
          <label>
            {t("welcome.birthday")}
            <input
              type="date"
              data-testid="welcome-birthday"
              value={birthday}
              onChange={(e) => setBirthday(e.target.value)}
              style={field}
            />
          </label>
          <Buttons busy={busy} onSkip={() => void finish()} />
        </form>
      )}

      {step === 2 && (
        <form onSubmit={submitCity} style={{ display: "grid", gap: "0.75rem" }}>
          <h2>{t("welcome.cityTitle")}</h2>
          <label>
            {t("welcome.city")}
            <input data-testid="welcome-city" value={city} onChange={(e) => setCity(e.target.value)} style={field} />
          </label>
          <div>
            <button type="button" onClick={locate} disabled={busy} style={secondaryButtonStyle}>
              {t("welcome.useLocation")}
            </button>
          </div>
          <p style={{ margin: 0, color: "#374151" }}>{t("welcome.cityHelp")}</p>
          <Buttons busy={busy} onBack={() => setStep(1)} onSkip={() => void finish()} />
        </form>
      )}

      {step === 3 && (
        <div style={{ display: "grid", gap: "0.75rem" }}>
          <h2>{t("welcome.favoritesTitle")}</h2>
          <p>{t("welcome.favoritesHelp")}</p>
          <ImportPanel onImported={() => setNotice(t("welcome.saved"))} />
          <AddFavorite onChange={() => setNotice(t("welcome.saved"))} knownIds={noKnownIds} />
          <div style={{ display: "flex", gap: "0.5rem" }}>
            <button type="button" onClick={() => setStep(2)} disabled={busy} style={secondaryButtonStyle}>
              {t("welcome.back")}
            </button>
            <button
              type="button"
              data-testid="welcome-finish"
              onClick={() => void finish()}
              disabled={busy}
              style={buttonStyle}
            >
              {t("welcome.finish")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Buttons({ busy, onBack, onSkip }: { busy: boolean; onBack?: () => void; onSkip: () => void }) {
  const { t } = useLocale();
  return (
    <div style={{ display: "flex", gap: "0.5rem" }}>
      {onBack && (
        <button type="button" onClick={onBack} disabled={busy} style={secondaryButtonStyle}>
          {t("welcome.back")}
        </button>
      )}
      <button type="submit" data-testid="welcome-next" disabled={busy} style={buttonStyle}>
        {t("welcome.next")}
      </button>
      <button type="button" data-testid="welcome-skip" onClick={onSkip} disabled={busy} style={secondaryButtonStyle}>
        {t("welcome.skip")}
      </button>
    </div>
  );
}
