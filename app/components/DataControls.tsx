"use client";

import { useState } from "react";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle, secondaryButtonStyle } from "./styles";

/** "Download my data": the export is fetched with the bearer token, then saved as a file. */
export function DownloadData() {
  const { t } = useLocale();
  const { api } = useSession();
  const [error, setError] = useState("");
  async function download() {
    try {
      const blob = await api.exportData();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = "mesh-discovery-export.json";
      link.click();
      // Give the browser a moment to start the download before the URL goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <p>
      <button type="button" data-testid="download-data" onClick={() => void download()} style={buttonStyle}>
        {t("privacy.download")}
      </button>
      {error && <span role="alert"> {t("common.error", { message: error })}</span>}
    </p>
  );
}

/** "Delete my discovery data", behind a confirmation step where the person types DELETE. */
export function DeleteData({ onDeleted }: { onDeleted: () => void }) {
  const { t } = useLocale();
  const { api, signOut } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState("");

  async function confirmDelete() {
    try {
      await api.deleteAccount();
      onDeleted();
      signOut();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  if (!confirming) {
    return (
      <p>
        <button
          type="button"
          data-testid="delete-data"
          onClick={() => setConfirming(true)}
          style={{ ...secondaryButtonStyle, borderColor: "#b91c1c", color: "#b91c1c" }}
        >
          {t("privacy.delete")}
        </button>
      </p>
    );
  }
  return (
    <div role="alertdialog" aria-labelledby="delete-confirm-text" style={noticeStyle}>
      <p id="delete-confirm-text">{t("privacy.deleteConfirmText")}</p>
      <input
        aria-label="DELETE"
        data-testid="delete-confirm-input"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoFocus
      />{" "}
      <button
        type="button"
        data-testid="delete-confirm"
        disabled={typed !== "DELETE"}
        onClick={() => void confirmDelete()}
        style={{ ...buttonStyle, background: "#b91c1c" }}
      >
        {t("privacy.deleteConfirm")}
      </button>{" "}
      <button type="button" onClick={() => setConfirming(false)} style={secondaryButtonStyle}>
        {t("privacy.cancel")}
      </button>
      {error && <p role="alert">{t("common.error", { message: error })}</p>}
    </div>
  );
}
