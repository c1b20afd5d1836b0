"use client";

import { useCallback, useEffect, useState } from "react";
import type { FavoritesStatus, PrivacySettingsResponse } from "@/api/client";
import { describeCategory } from "@/app/i18n/categories";
import type { MessageKey } from "@/app/i18n/messages";
import { privacyCategories, type PrivacyCategory } from "@/lib/privacy/categories";
import { DeleteData, DownloadData } from "./DataControls";
import { countFavorites, type FavoriteCounts } from "./favorite-counts";
import { useLocale } from "./locale";
import { RequireSession } from "./RequireSession";
import { useSession } from "./session";
import { useBehaviourLive } from "./use-behaviour-live";
import { cardStyle, noticeStyle } from "./styles";

const SOURCE_NAMES: Record<string, string> = {
  letterboxd: "Letterboxd",
  goodreads: "Goodreads",
  spotify: "Spotify",
  manual: "manual entry",
  demo: "demo data",
};

interface Loaded {
  settings: PrivacySettingsResponse["settings"];
  status: FavoritesStatus;
  favorites: FavoriteCounts;
}

/** The person's recent actions as the ranker sees them, updated as they happen (the live channel). */
function BehaviourCount() {
  const { t, locale } = useLocale();
  const { api } = useSession();
  const { features, error } = useBehaviourLive(api);
  if (error) return <p role="alert">{t("common.error", { message: error })}</p>;
  if (!features) return null;
  const last = features.lastActions[0];
  return (
    <p data-testid="privacy-count-behaviour">
      {last
        ? t("privacy.count.behaviourLive", {
            count: features.lastActions.length,
            time: new Date(last.at).toLocaleTimeString(locale),
          })
        : t("privacy.count.behaviourNone")}
    </p>
  );
}

/** The live counts a category can show from the API today (the others have no count endpoint). */
function CategoryCounts({ category, data }: { category: PrivacyCategory; data: Loaded }) {
  const { t } = useLocale();
  if (category === "favorites") {
    const parts = Object.entries(data.favorites.bySource).map(([source, count]) =>
      t("privacy.count.fromSource", { count: count ?? 0, source: SOURCE_NAMES[source] ?? source }),
    );
    const total = t("privacy.count.favorites", { count: `${data.favorites.total}${data.favorites.more ? "+" : ""}` });
    return <p data-testid="privacy-count-favorites">{[total, ...parts].join(" · ")}</p>;
  }
  if (category === "behaviour") return <BehaviourCount />;
  if (category === "connectors") {
    const spotify = data.status.sources.find((s) => s.source === "spotify");
    return (
      <p data-testid="privacy-count-connectors">{t("privacy.count.spotify", { state: spotify?.state ?? "never" })}</p>
    );
  }
  return null;
}

function Dashboard({ onDeleted }: { onDeleted: () => void }) {
  const { t, locale } = useLocale();
  const { api } = useSession();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState("");

  const load = useCallback(async () => {
    try {
      const [settings, status, favorites] = await Promise.all([
        api.privacySettings(),
        api.favoritesStatus(),
        countFavorites(api),
      ]);
      setData({ settings: settings.settings, status, favorites });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  async function toggle(category: PrivacyCategory, enabled: boolean) {
    try {
      const next = await api.updatePrivacy({ [category]: enabled });
      setData((prev) => (prev ? { ...prev, settings: next.settings } : prev));
      setSaved(
        t("privacy.saved", {
          category: t(`category.${category}` as MessageKey),
          state: t(enabled ? "privacy.on" : "privacy.off").toLowerCase(),
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  if (error) return <p role="alert">{t("common.error", { message: error })}</p>;
  if (!data) return <p role="status">{t("common.loading")}</p>;
  return (
    <>
      <p>{t("privacy.intro")}</p>
      <p role="status" data-testid="privacy-saved" style={saved ? noticeStyle : undefined}>
        {saved}
      </p>
      {privacyCategories.map((category) => {
        const text = describeCategory(category, locale);
        const id = `privacy-${category}`;
        return (
          <section key={category} aria-labelledby={`${id}-title`} style={{ ...cardStyle, marginBottom: "0.75rem" }}>
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: "1rem" }}>
              <h2 id={`${id}-title`} style={{ margin: 0, fontSize: "1.15rem" }}>
                {t(`category.${category}` as MessageKey)}
              </h2>
              <label>
                <input
                  type="checkbox"
                  role="switch"
                  data-testid={`privacy-toggle-${category}`}
                  checked={data.settings[category]}
                  aria-label={t("privacy.toggleLabel", { category: t(`category.${category}` as MessageKey) })}
                  onChange={(e) => void toggle(category, e.target.checked)}
                />{" "}
                {t(data.settings[category] ? "privacy.on" : "privacy.off")}
              </label>
            </div>
            <p>{text.holds}</p>
            <CategoryCounts category={category} data={data} />
            <p>
              <em>{t("privacy.whenOff")}</em> {text.whenOff}
            </p>
          </section>
        );
      })}
      <DownloadData />
      <DeleteData onDeleted={onDeleted} />
    </>
  );
}

export function PrivacyDashboard() {
  const { t } = useLocale();
  // Lives outside RequireSession: deleting signs the person out, and they should still see this.
  const [deleted, setDeleted] = useState(false);
  return (
    <>
      <h1>{t("privacy.title")}</h1>
      {deleted && (
        <p role="status" data-testid="privacy-deleted" style={noticeStyle}>
          {t("privacy.deleted")}
        </p>
      )}
      <RequireSession>
        <Dashboard onDeleted={() => setDeleted(true)} />
      </RequireSession>
    </>
  );
}
