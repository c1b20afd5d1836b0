import { toIsbn13 } from "../ids";
import { normalizeTitle } from "../normalize";
import { MetadataHttpClient, type MetadataHttpOptions } from "./http";
import { cleanNames, cleanTags, yearOf } from "./tags";
import type { FetchedMetadata, MediaRecord, MetadataFetcher } from "./types";

export interface OpenLibraryConfig {
  apiUrl: string;
}

/** Enabled by OPENLIBRARY_ENABLED=1; OPENLIBRARY_API_URL points tests at a fake. */
export function openLibraryConfig(env: Record<string, string | undefined> = process.env): OpenLibraryConfig | null {
  if (env.OPENLIBRARY_ENABLED?.trim() !== "1") return null;
  return { apiUrl: (env.OPENLIBRARY_API_URL?.trim() || "https://openlibrary.org").replace(/\/+$/, "") };
}

// Subjects naming a kind of book are genres; the rest ("Dystopias", "Survival") are themes.
const GENRE =
  /\b(fiction|fantasy|science fiction|mystery|thriller|romance|horror|poetry|drama|biography|autobiography|memoir|classics?|humou?r|adventure|crime|detective|history|historical|philosophy|essays|short stories|graphic novels?|comics|young adult|juvenile|children'?s|novel)\b/;
// Library bookkeeping, not content: "Accessible book", "nyt:hardcover-fiction=2008-09-28", "In library".
const NOISE =
  /[:=]|^(accessible book|protected daisy|in library|lending library|large type books|open library staff picks|general)$/;

/** Open Library subjects ("Fiction, science fiction, general") split into genres and themes. */
export function subjectsToTags(subjects: string[]): { genres: string[]; themes: string[] } {
  const parts = subjects
    .flatMap((s) => s.split(/\s*,\s*/))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s.length <= 40 && !NOISE.test(s));
  return {
    genres: cleanTags(
      parts.filter((s) => GENRE.test(s)),
      8,
    ),
    themes: cleanTags(
      parts.filter((s) => !GENRE.test(s)),
      10,
    ),
  };
}

interface Edition {
  works?: { key: string }[];
  /** Cover ids; Open Library marks a removed cover with a negative id. */
  covers?: number[];
  authors?: { key: string }[];
  publish_date?: string;
  subjects?: string[];
}
interface Work {
  covers?: number[];
  subjects?: string[];
  authors?: { author?: { key: string } }[];
  first_publish_date?: string;
}
interface SearchDoc {
  title: string;
  author_name?: string[];
  first_publish_year?: number;
  isbn?: string[];
  subject?: string[];
  /** The cover id search picked for the work (absent when it has none). */
  cover_i?: number;
}

/** Covers Open Library serves by id; "-M" is the medium size (about 180 px wide). */
export const OPENLIBRARY_COVERS_BASE = "https://covers.openlibrary.org/b/id";

/** The first real cover among these ids (-1 and other negative ids mean "removed"). */
function coverUrl(...ids: (number | null | undefined)[]): string | undefined {
  const id = ids.find((i): i is number => Number.isSafeInteger(i) && i! > 0);
  return id === undefined ? undefined : `${OPENLIBRARY_COVERS_BASE}/${id}-M.jpg`;
}

/** Books from Open Library: by ISBN (edition, then its work), or by title + author through search. */
export class OpenLibraryFetcher implements MetadataFetcher {
  readonly provider = "openlibrary" as const;
  readonly mediaType = "book" as const;
  readonly http: MetadataHttpClient;

  constructor(
    private readonly config: OpenLibraryConfig,
    options: MetadataHttpOptions = {},
  ) {
    this.http = new MetadataHttpClient("openlibrary", options);
  }

  lookupKey(record: MediaRecord): string | null {
    if (record.id.startsWith("isbn:")) return record.id;
    const author = record.metadata.creators?.[0];
    return `${normalizeTitle(record.title)}|${author ? normalizeTitle(author) : ""}`;
  }

  private get<T>(path: string, query: Record<string, string> = {}): Promise<T | null> {
    const url = new URL(`${this.config.apiUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return this.http.getJson<T>(url.toString());
  }

  /** Author records hold the names; only asked for when the import carried no author. */
  private async authorNames(record: MediaRecord, keys: string[]): Promise<string[]> {
    if (record.metadata.creators?.length) return [];
    const names: string[] = [];
    for (const key of keys.slice(0, 2)) {
      const author = await this.get<{ name?: string }>(`${key}.json`);
      if (author?.name) names.push(author.name);
    }
    return names;
  }

  private async byIsbn(record: MediaRecord): Promise<FetchedMetadata | null> {
    const edition = await this.get<Edition>(`/isbn/${record.id.slice(5)}.json`);
    if (!edition) return null;
    const workKey = edition.works?.[0]?.key;
    const work = workKey && /^\/works\/OL\d+W$/.test(workKey) ? await this.get<Work>(`${workKey}.json`) : null;
    const { genres, themes } = subjectsToTags([...(work?.subjects ?? []), ...(edition.subjects ?? [])]);
    const authorKeys = [
      ...(work?.authors ?? []).map((a) => a.author?.key),
      ...(edition.authors ?? []).map((a) => a.key),
    ].filter((k): k is string => !!k && /^\/authors\/OL\d+A$/.test(k));
    return {
      year: yearOf(work?.first_publish_date) ?? yearOf(edition.publish_date),
      genres,
      themes,
      creators: cleanNames(await this.authorNames(record, [...new Set(authorKeys)])),
      // The edition's own cover first: it is the book the person read.
      coverUrl: coverUrl(...(edition.covers ?? []), ...(work?.covers ?? [])),
    };
  }

  private async bySearch(record: MediaRecord): Promise<FetchedMetadata | null> {
    const query: Record<string, string> = {
      title: record.title,
      fields: "key,title,author_name,first_publish_year,isbn,subject,cover_i",
      limit: "5",
    };
    const author = record.metadata.creators?.[0];
    if (author) query.author = author;
    const found = await this.get<{ docs: SearchDoc[] }>("/search.json", query);
    const want = normalizeTitle(record.title);
    const doc = found?.docs.find((d) => normalizeTitle(d.title) === want);
    if (!doc) return null;
    const isbn = (doc.isbn ?? []).map((i) => toIsbn13(i)).find((i): i is string => !!i);
    return {
      externalId: isbn ? `isbn:${isbn}` : undefined,
      year: doc.first_publish_year,
      ...subjectsToTags(doc.subject ?? []),
      creators: cleanNames(doc.author_name ?? []),
      coverUrl: coverUrl(doc.cover_i),
    };
  }

  fetch(record: MediaRecord): Promise<FetchedMetadata | null> {
    return record.id.startsWith("isbn:") ? this.byIsbn(record) : this.bySearch(record);
  }
}
