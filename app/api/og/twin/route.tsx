import { ImageResponse } from "next/og";
import { AuthError, verifyAccessToken } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { serveCandidates } from "@/lib/discovery/pipeline";
import { handle } from "@/lib/http/errors";
import { twinCaption } from "@/lib/i18n/share-card";

export const dynamic = "force-dynamic";

/** The bearer token, or ?token= so the card can be an <img src> or a link preview. */
function tokenOf(request: Request): string {
  const header = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  const token = header?.[1] ?? new URL(request.url).searchParams.get("token");
  if (!token) throw new AuthError("missing token (Authorization: Bearer <token> or ?token=)");
  return token;
}

/**
 * GET /api/og/twin — 1200x630 PNG "Your cultural twin is <first name> — because you both love …"
 * from the viewer's top candidate. The slate already leaves out opted-out and non-discoverable
 * people, and the card shows only a first name and something the viewer loves too.
 */
export const GET = handle(async (request: Request) => {
  const viewer = await verifyAccessToken(tokenOf(request));
  const page = await serveCandidates(await getDb(), viewer.userId, { limit: 1, offset: 0 });
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
});
