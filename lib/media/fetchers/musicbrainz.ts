import { APP_VERSION } from "../../version";
import { normalizeTitle } from "../normalize";
import { MetadataHttpClient, type MetadataHttpOptions } from "./http";
import { cleanNames, cleanTags, yearOf } from "./tags";
import type { FetchedMetadata, MediaRecord, MetadataFetcher } from "./types";

export interface MusicBrainzConfig {
  apiUrl: string;
  /** MusicBrainz blocks anonymous clients: the User-Agent must name the app and a contact. */
  userAgent: string;
}

/** MusicBrainz allows one request per second per client; faster callers get 503s and then a ban. */
export const MUSICBRAINZ_MIN_INTERVAL_MS = 1000;

/** Enabled by MUSICBRAINZ_ENABLED=1; MUSICBRAINZ_CONTACT (e-mail or URL) is then required. */
export function musicBrainzConfig(env: Record<string, string | undefined> = process.env): MusicBrainzConfig | null {
  if (env.MUSICBRAINZ_ENABLED?.trim() !== "1") return null;
  const contact = env.MUSICBRAINZ_CONTACT?.trim();
  if (!contact) {
    throw new Error("MUSICBRAINZ_ENABLED=1 needs MUSICBRAINZ_CONTACT (an e-mail or URL MusicBrainz can reach you at)");
  }
  return {
    apiUrl: (env.MUSICBRAINZ_API_URL?.trim() || "https://musicbrainz.org").replace(/\/+$/, ""),
    userAgent: `MeshDiscovery/${APP_VERSION} ( ${contact} )`,
  };
}

interface Recording {
  id: string;
  title: string;
  score?: number;
  "first-release-date"?: string;
  "artist-credit"?: { name: string; artist?: { name: string } }[];
  tags?: { name: string; count: number }[];
}

/** A release as MusicBrainz's release browse answers it (with inc=release-groups). */
interface Release {
  id: string;
  status?: string | null;
  date?: string;
  /** What the Cover Art Archive holds for this release; `front` says a front image exists. */
  "cover-art-archive"?: { artwork?: boolean; front?: boolean; count?: number };
  "release-group"?: { id: string; "primary-type"?: string | null; "secondary-types"?: string[] };
}

/** The Cover Art Archive's 250 px front image of a release group (its chosen cover). */
export const COVER_ART_ARCHIVE_URL = "https://coverartarchive.org";

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The release group whose front cover to show: among releases the Cover Art Archive has a front
 * image for, official ones first, then plain albums (not compilations or live), then the earliest.
 * Null when no release has a front image: the archive's URL would only answer 404.
 */
export function frontCoverReleaseGroup(releases: Release[]): string | null {
  const rank = (r: Release) => [
    r.status === "Official" ? 0 : 1,
    r["release-group"]?.["primary-type"] === "Album" && !r["release-group"]?.["secondary-types"]?.length ? 0 : 1,
  ];
  const withFront = releases.filter(
    (r) => r["cover-art-archive"]?.front === true && MBID.test(r["release-group"]?.id ?? ""),
  );
  withFront.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || (a.date || "9999").localeCompare(b.date || "9999");
  });
  return withFront[0]?.["release-group"]?.id ?? null;
}

/** Lucene phrase for MusicBrainz's search syntax. */
const phrase = (s: string) => `"${s.replace(/(["\\])/g, "\\$1")}"`;

/** Music from MusicBrainz: by ISRC (exact), by recording MBID, or by title + first artist. */
export class MusicBrainzFetcher implements MetadataFetcher {
  readonly provider = "musicbrainz" as const;
  readonly mediaType = "music" as const;
  readonly http: MetadataHttpClient;

  constructor(
    private readonly config: MusicBrainzConfig,
    options: MetadataHttpOptions = {},
  ) {
    this.http = new MetadataHttpClient("musicbrainz", {
      ...options,
      minIntervalMs: Math.max(options.minIntervalMs ?? 0, MUSICBRAINZ_MIN_INTERVAL_MS),
      headers: { ...options.headers, "user-agent": config.userAgent },
    });
  }

  lookupKey(record: MediaRecord): string | null {
    if (typeof record.metadata.isrc === "string" && record.metadata.isrc) return `isrc:${record.metadata.isrc}`;
    if (record.id.startsWith("mbid:")) return record.id;
    const artist = record.metadata.creators?.[0];
    return artist ? `${normalizeTitle(record.title)}|${normalizeTitle(artist)}` : null;
  }

  private get<T>(path: string, query: Record<string, string>): Promise<T | null> {
    // `inc` keeps its literal "+" separators, as MusicBrainz documents them.
    const qs = Object.entries({ ...query, fmt: "json" })
      .map(([k, v]) => `${k}=${k === "inc" ? v.split("+").map(encodeURIComponent).join("+") : encodeURIComponent(v)}`)
      .join("&");
    return this.http.getJson<T>(`${this.config.apiUrl}/ws/2${path}?${qs}`);
  }

  private async findRecording(record: MediaRecord): Promise<Recording | null> {
    const inc = "artist-credits+tags";
    const isrc = record.metadata.isrc;
    if (typeof isrc === "string" && isrc) {
      const found = await this.get<{ recordings: Recording[] }>(`/isrc/${encodeURIComponent(isrc)}`, { inc });
      return found?.recordings[0] ?? null;
    }
    if (record.id.startsWith("mbid:")) return this.get<Recording>(`/recording/${record.id.slice(5)}`, { inc });
    const artist = record.metadata.creators?.[0];
    if (!artist) return null;
    const found = await this.get<{ recordings: Recording[] }>("/recording", {
      query: `recording:${phrase(record.title)} AND artist:${phrase(artist)}`,
      limit: "5",
    });
    // Search ranks loosely; a high score and the same title keep a cover or remix from matching.
    const want = normalizeTitle(record.title);
    return found?.recordings.find((r) => (r.score ?? 0) >= 90 && normalizeTitle(r.title) === want) ?? null;
  }

  /**
   * The recording's album art, when the Cover Art Archive has a front image for one of its
   * releases. A recording lookup does not say (only release lookups and browses carry
   * `cover-art-archive`), so this costs one more request: asked only for titles without a cover,
   * which leaves out everything Spotify already brought album art for.
   */
  private async coverUrl(record: MediaRecord, recordingId: string): Promise<string | undefined> {
    if (record.coverUrl) return undefined;
    const found = await this.get<{ releases?: Release[] }>("/release", {
      recording: recordingId,
      inc: "release-groups",
      limit: "100",
    });
    const group = frontCoverReleaseGroup(found?.releases ?? []);
    return group ? `${COVER_ART_ARCHIVE_URL}/release-group/${group}/front-250` : undefined;
  }

  async fetch(record: MediaRecord): Promise<FetchedMetadata | null> {
    const recording = await this.findRecording(record);
    if (!recording) return null;
    const tags = [...(recording.tags ?? [])].sort((a, b) => b.count - a.count);
    return {
      externalId: `mbid:${recording.id.toLowerCase()}`,
      year: yearOf(recording["first-release-date"]),
      genres: cleanTags(
        tags.map((t) => t.name),
        8,
      ),
      themes: [],
      creators: cleanNames((recording["artist-credit"] ?? []).map((c) => c.artist?.name ?? c.name)),
      coverUrl: await this.coverUrl(record, recording.id),
    };
  }
}
