"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiError, type ModerationAction, type OpenReportsResponse } from "@/api/client";
import type { MessageKey } from "@/app/i18n/messages";
import { useLocale } from "./locale";
import { RequireSession } from "./RequireSession";
import { useSession } from "./session";
import { buttonStyle, cardStyle, noticeStyle, secondaryButtonStyle } from "./styles";

type Report = OpenReportsResponse["reports"][number];

const ACTIONS: ModerationAction[] = ["dismiss", "warn", "suspend"];

function ReportCard({ report, onAct }: { report: Report; onAct: (r: Report, a: ModerationAction) => void }) {
  const { t, locale } = useLocale();
  const who = report.reported;
  const date = (iso: string) => new Date(iso).toLocaleDateString(locale);
  return (
    <li data-testid="open-report" data-report-id={report.reportId} style={{ ...cardStyle, marginBottom: "1rem" }}>
      <h3 style={{ margin: 0 }}>{t("moderation.reported", { name: who.displayName ?? who.userId })}</h3>
      <p>
        <strong>{t(`moderation.reason.${report.reason}` as MessageKey)}</strong> ·{" "}
        {t("moderation.filed", { date: date(report.createdAt) })}
      </p>
      <blockquote data-testid="report-text">{report.text ?? t("moderation.noText")}</blockquote>
      <p data-testid="report-score">
        {who.harassmentScore === null
          ? t("moderation.noScore")
          : t("moderation.score", {
              score: who.harassmentScore.toFixed(2),
              reporters: who.independentReporters,
              warnings: who.warnings,
            })}
        {who.suspended && ` · ${t("moderation.suspended")}`}
      </p>
      <p data-testid="report-blocks">
        {t("moderation.blocks", { recent: who.blocks.last90Days, total: who.blocks.total })}
      </p>
      <details open>
        <summary>{t("moderation.recent")}</summary>
        <ul data-testid="recent-reports">
          {who.recentReports.map((r) => (
            <li key={r.reportId}>
              {date(r.createdAt)} · {t(`moderation.reason.${r.reason}` as MessageKey)} ·{" "}
              {t(`moderation.status.${r.status}` as MessageKey)}
              {r.text ? `: ${r.text}` : ""}
            </li>
          ))}
        </ul>
      </details>
      <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
        {ACTIONS.map((action) => (
          <button
            key={action}
            type="button"
            data-testid={`moderate-${action}`}
            onClick={() => onAct(report, action)}
            style={action === "suspend" ? buttonStyle : secondaryButtonStyle}
          >
            {t(`moderation.${action}` as MessageKey)}
          </button>
        ))}
      </div>
    </li>
  );
}

function Reports() {
  const { t } = useLocale();
  const { api } = useSession();
  const [reports, setReports] = useState<Report[] | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");

  const load = useCallback(async () => {
    try {
      setReports((await api.openReports({ limit: 50 })).reports);
      setError("");
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setForbidden(true);
      else setError(err instanceof Error ? err.message : String(err));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (report: Report, action: ModerationAction) => {
    try {
      const outcome = await api.moderate(report.reportId, action);
      const name = report.reported.displayName ?? report.reported.userId;
      setDone(t(`moderation.done.${action}` as MessageKey, { name, count: outcome.resolved }));
      await load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  if (forbidden) return <p data-testid="moderation-forbidden">{t("moderation.forbidden")}</p>;
  return (
    <>
      {done && (
        <p role="status" data-testid="moderation-done" style={noticeStyle}>
          {done}
        </p>
      )}
      {error && <p role="alert">{t("common.error", { message: error })}</p>}
      {!reports && !error && <p role="status">{t("common.loading")}</p>}
      {reports?.length === 0 && <p data-testid="moderation-empty">{t("moderation.empty")}</p>}
      <ul style={{ listStyle: "none", padding: 0 }}>
        {reports?.map((r) => (
          <ReportCard key={r.reportId} report={r} onAct={act} />
        ))}
      </ul>
    </>
  );
}

/** /moderation: open reports for people whose token carries the moderator role. */
export function ModerationPage() {
  const { t } = useLocale();
  return (
    <section>
      <h1>{t("moderation.title")}</h1>
      <p>{t("moderation.intro")}</p>
      <RequireSession>
        <Reports />
      </RequireSession>
    </section>
  );
}
