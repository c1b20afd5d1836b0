"use client";

import { useState, type DragEvent } from "react";
import { ApiError, type ApiClient, type FavoritesStatus } from "@/api/client";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle } from "./styles";

type Service = "letterboxd" | "goodreads";
type Progress =
  | { state: "idle" }
  | { state: "uploading"; name: string }
  | { state: "syncing" }
  | { state: "done"; imported: number; matched: number; skipped: number }
  | { state: "failed"; reason: string };

const POLL_MS = 1000;
const POLL_LIMIT = 120;

/** Letterboxd ZIPs are ZIPs; a CSV named like Goodreads' export is Goodreads; else the choice stands. */
function guessService(name: string, chosen: Service): Service {
  if (/\.zip$/i.test(name)) return "letterboxd";
  if (/goodreads/i.test(name)) return "goodreads";
  return chosen;
}

/** Done when the source is idle and the taste vector has caught up with the import. */
function isSettled(status: FavoritesStatus, service: Service): "done" | "failed" | "pending" {
  const source = status.sources.find((s) => s.source === service);
  if (source?.state === "failed") return "failed";
  if (source?.state !== "idle") return "pending";
  return status.taste.queued || status.taste.stale ? "pending" : "done";
}

async function waitUntilSettled(api: ApiClient, service: Service): Promise<FavoritesStatus> {
  for (let i = 0; i < POLL_LIMIT; i++) {
    const status = await api.favoritesStatus();
    if (isSettled(status, service) !== "pending") return status;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return api.favoritesStatus();
}

/** Upload a Letterboxd or Goodreads export (drop or choose), then "Syncing…" until it is done. */
export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { t } = useLocale();
  const { api } = useSession();
  const [service, setService] = useState<Service>("letterboxd");
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const [dragging, setDragging] = useState(false);

  async function upload(file: File) {
    const target = guessService(file.name, service);
    setService(target);
    setProgress({ state: "uploading", name: file.name });
    try {
      const result = await api.importFile(target, file, file.name);
      setProgress({ state: "syncing" });
      const status = await waitUntilSettled(api, target);
      const source = status.sources.find((s) => s.source === target);
      if (isSettled(status, target) === "failed") {
        setProgress({ state: "failed", reason: source?.reason ?? "unknown" });
      } else {
        setProgress({ state: "done", ...result.counts });
      }
      onImported();
    } catch (err) {
      setProgress({ state: "failed", reason: err instanceof ApiError || err instanceof Error ? err.message : "" });
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void upload(file);
  }

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t("favorites.import")}</h2>
      <div
        data-testid="import-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{
          border: `2px dashed ${dragging ? "#4338ca" : "#a5b4fc"}`,
          borderRadius: 12,
          padding: "1rem",
          display: "flex",
          flexDirection: "column",
          gap: "0.5rem",
          maxWidth: 560,
        }}
      >
        <p style={{ margin: 0 }}>{t("favorites.importHelp")}</p>
        <label>
          {t("favorites.importService")}{" "}
          <select value={service} onChange={(e) => setService(e.target.value as Service)}>
            <option value="letterboxd">Letterboxd</option>
            <option value="goodreads">Goodreads</option>
          </select>
        </label>
        <label>
          {t("favorites.chooseFile")}{" "}
          <input
            type="file"
            data-testid="import-file"
            accept=".zip,.csv,application/zip,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
              e.target.value = "";
            }}
          />
        </label>
      </div>
      <p role="status" data-testid="import-status" data-state={progress.state} style={noticeStyle}>
        {progress.state === "uploading" && t("favorites.uploading", { name: progress.name })}
        {progress.state === "syncing" && t("favorites.syncing")}
        {progress.state === "done" && t("favorites.done", progress)}
        {progress.state === "failed" && t("favorites.failed", { reason: progress.reason })}
      </p>
    </section>
  );
}

/** "Connect Spotify": off to Spotify's consent page, or the server's reason it cannot (503). */
export function SpotifyConnect() {
  const { t } = useLocale();
  const { api } = useSession();
  const [message, setMessage] = useState("");
  async function connect() {
    try {
      const { authorizeUrl } = await api.connectSpotify();
      window.location.assign(authorizeUrl);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div>
      <button type="button" data-testid="connect-spotify" onClick={() => void connect()} style={buttonStyle}>
        {t("favorites.spotify")}
      </button>
      {message && (
        <p role="alert" data-testid="spotify-message">
          {message}
        </p>
      )}
    </div>
  );
}
