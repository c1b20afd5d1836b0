import type { FavoriteDraft, ParsedImport } from "../../favorites/types";
import { coverUrlOrNull } from "../../media/cover";
import type { SpotifyClient } from "./client";

interface SpotifyArtistRef {
  id: string;
  name: string;
}
/** Spotify lists an album's renditions largest first; sizes may be null. */
interface SpotifyImage {
  url: string;
  width?: number | null;
  height?: number | null;
}
interface SpotifyTrack {
  id: string;
  name: string;
  artists: SpotifyArtistRef[];
  album: { name: string; release_date?: string; images?: SpotifyImage[] };
  external_ids?: { isrc?: string };
  external_urls?: { spotify?: string };
  is_local?: boolean;
}
interface SpotifyArtist {
  id: string;
  name: string;
  /** Absent for development-mode apps since 2026. */
  genres?: string[];
}

export interface SpotifyLibrary {
  parsed: ParsedImport;
  /** The newest saved-track time seen: the next delta sync stops there. */
  newestSavedAt: string | null;
}

/** `1997`, `1972-02` or `1997-05-21`: the year is all we keep. */
function releaseYear(date: string | undefined): number | null {
  const year = date ? Number(date.slice(0, 4)) : NaN;
  return Number.isInteger(year) && year > 1000 ? year : null;
}

/** Cards show covers at 56 px: a 300 px rendition stays sharp at 3x for a fifth of 640's bytes. */
const COVER_WIDTH = 300;

/**
 * The album art to keep: the smallest rendition at least 300 px wide (Spotify's 300 x 300), else
 * the first (the largest); only URLs canonical_media.cover_url accepts. Null when there is none.
 */
export function albumCoverUrl(images: SpotifyImage[] | null | undefined): string | null {
  const usable = (images ?? []).filter((i) => coverUrlOrNull(i?.url) !== null);
  const bigEnough = usable.filter((i) => (i.width ?? 0) >= COVER_WIDTH).sort((a, b) => a.width! - b.width!);
  return (bigEnough[0] ?? usable[0])?.url ?? null;
}

function draft(
  track: SpotifyTrack,
  genres: Map<string, string[]>,
  liked: boolean,
  addedAt: Date | null,
): FavoriteDraft {
  const artistGenres = [...new Set(track.artists.flatMap((a) => genres.get(a.id) ?? []))];
  return {
    candidate: {
      mediaType: "music",
      title: track.name,
      year: releaseYear(track.album.release_date),
      isrc: track.external_ids?.isrc ?? null,
      metadata: { genres: artistGenres, creators: track.artists.map((a) => a.name), source: "spotify" },
      coverUrl: albumCoverUrl(track.album.images),
    },
    rating: null,
    liked,
    playCount: 1,
    addedAt,
    externalUri: track.external_urls?.spotify ?? null,
  };
}

/**
 * Reads what a person listens to: top artists (for genres) and followed artists, top tracks and
 * saved tracks (a save is a like). Saved tracks come newest first, so a delta sync stops at the
 * first one at or before `since`.
 */
export async function readSpotifyLibrary(client: SpotifyClient, since: string | null): Promise<SpotifyLibrary> {
  const genres = new Map<string, string[]>();
  for await (const artist of client.paged<SpotifyArtist>("/v1/me/top/artists?limit=50&time_range=medium_term")) {
    genres.set(artist.id, artist.genres ?? []);
  }
  for await (const artist of client.paged<SpotifyArtist>("/v1/me/following?type=artist&limit=50", "artists")) {
    if (!genres.has(artist.id)) genres.set(artist.id, artist.genres ?? []);
  }
  const drafts = new Map<string, FavoriteDraft>();
  let rows = 0;
  let skipped = 0;
  const keep = (track: SpotifyTrack, d: FavoriteDraft) => {
    rows++;
    if (track.is_local || !track.name) {
      skipped++;
      return;
    }
    const key = track.external_ids?.isrc ?? track.id;
    const existing = drafts.get(key);
    drafts.set(
      key,
      existing
        ? {
            ...existing,
            // One recording on several albums: the first album's art, else any other's.
            candidate: { ...existing.candidate, coverUrl: existing.candidate.coverUrl ?? d.candidate.coverUrl },
            liked: existing.liked || d.liked,
            addedAt: existing.addedAt ?? d.addedAt,
          }
        : d,
    );
  };
  for await (const track of client.paged<SpotifyTrack>("/v1/me/top/tracks?limit=50&time_range=medium_term")) {
    keep(track, draft(track, genres, false, null));
  }
  let newestSavedAt: string | null = null;
  for await (const saved of client.paged<{ added_at: string; track: SpotifyTrack }>("/v1/me/tracks?limit=50")) {
    if (since && saved.added_at <= since) break;
    newestSavedAt ??= saved.added_at;
    keep(saved.track, draft(saved.track, genres, true, new Date(saved.added_at)));
  }
  return { parsed: { drafts: [...drafts.values()], rows, skipped }, newestSavedAt: newestSavedAt ?? since };
}
