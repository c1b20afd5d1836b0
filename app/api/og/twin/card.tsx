import { ImageResponse } from "next/og";
import type { Db } from "@/lib/db/types";
import { serveCandidates } from "@/lib/discovery/pipeline";
import { twinCaption } from "@/lib/discovery/share-card";

/**
 * The 1200x630 share card, "Your cultural twin is <first name> — because you both love …", from
 * the viewer's top candidate. The slate already leaves out opted-out and non-discoverable people,
 * and the card shows only a first name and something the viewer loves too.
 */
export async function twinCard(db: Db, viewerId: string): Promise<ImageResponse> {
  const page = await serveCandidates(db, viewerId, { limit: 1, offset: 0 });
  const top = page.items[0];
  const caption = twinCaption(
    top ? { displayName: top.displayName, reasons: top.reasons, sharedTitles: top.sharedFavorites.titles } : null,
  );
  return new ImageResponse(
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "center",
        padding: 80,
        background: "linear-gradient(135deg, #1e1b4b 0%, #4338ca 100%)",
        color: "white",
      }}
    >
      <div style={{ fontSize: 36, opacity: 0.8 }}>Mesh Discovery</div>
      <div style={{ fontSize: 72, fontWeight: 700, marginTop: 24 }}>{caption.headline}</div>
      <div style={{ fontSize: 48, marginTop: 16 }}>{caption.because}</div>
    </div>,
    { width: 1200, height: 630, headers: { "cache-control": "private, no-store" } },
  );
}
