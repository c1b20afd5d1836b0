import { operations } from "@/api/favorites";
import { finishSpotifyConnect } from "@/lib/connectors/spotify/connect";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

/**
 * Spotify sends the person back here. The state (not a bearer token: this is a browser redirect)
 * names the user; on success the sync is queued and the person returns to their favorites page.
 */
export const GET = route(operations.spotifyCallback, async ({ db, query, request }) => {
  const outcome = await finishSpotifyConnect(await db(), query);
  return Response.redirect(new URL(`/favorites?spotify=${outcome}`, request.url), 303);
});
