import type { Queryable } from "../db/types";
import { coverUrlOrNull } from "./cover";
import { localId } from "./ids";
import { normalizeTitle, titleParts } from "./normalize";
import { eraOf, type MediaMetadata, type MediaType } from "./types";

/** A title as an importer or a person describes it, before it has a canonical id. */
export interface MediaCandidate {
  mediaType: MediaType;
  title: string;
  year?: number | null;
  /** imdb:tt…, isbn:978…, mbid:… when the source carries one. */
  externalId?: string | null;
  /** Music: recordings with one ISRC are one title, whatever album they came on. */
  isrc?: string | null;
  metadata?: Partial<MediaMetadata>;
  /** The cover the source shows (Spotify's album art): stored when the title has none yet. */
  coverUrl?: string | null;
}

export interface ResolvedMedia {
  id: string;
  /** False when the title was already in the catalogue (or under an external id). */
  created: boolean;
}

interface AliasHit {
  id: string;
  year: number | null;
  edition_year: boolean | null;
  creators: string[] | null;
}

/** The id a (possibly merged) canonical id lives under now, or null when unknown. */
export async function currentMediaId(db: Queryable, id: string): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `SELECT m.id FROM canonical_media m
     WHERE m.id = coalesce((SELECT to_id FROM media_redirects WHERE from_id = $1), $1)`,
    [id],
  );
  return rows[0]?.id ?? null;
}

function creatorsOverlap(a: string[] | null | undefined, b: string[] | null | undefined): boolean {
  if (!a?.length || !b?.length) return true;
  const mine = new Set(a.map(normalizeTitle));
  return b.some((c) => mine.has(normalizeTitle(c)));
}

/**
 * Picks the catalogue record a candidate is a variant of. Same normalised title and type, and:
 * the same year (or one side has none); or the candidate is an edition ("– The Final Cut",
 * released later) of an earlier record; or the record was itself created from an edition and the
 * candidate is the earlier original. Different years otherwise mean different titles.
 */
function pickVariant(hits: AliasHit[], year: number | null, edition: boolean, creators?: string[]): AliasHit | null {
  let best: AliasHit | null = null;
  let bestScore = 0;
  for (const hit of hits) {
    if (!creatorsOverlap(hit.creators, creators)) continue;
    let score = 0;
    if (year !== null && hit.year !== null && year === hit.year) score = 4;
    else if (year === null || hit.year === null) score = 2;
    else if (edition && hit.year < year) score = 3;
    else if (!edition && hit.edition_year && hit.year > year) score = 3;
    if (score && !hit.id.startsWith("local:")) score += 0.5;
    if (score > bestScore) [best, bestScore] = [hit, score];
  }
  return best;
}

async function addAliases(db: Queryable, mediaId: string, aliases: string[]): Promise<void> {
  await db.query(
    `INSERT INTO media_aliases (alias_norm, media_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
    [aliases, mediaId],
  );
}

/**
 * Moves a local record to the external id that was found for it: favorites, aliases and older
 * redirects follow, and the local id keeps resolving through a redirect.
 */
async function promoteLocal(db: Queryable, fromId: string, toId: string): Promise<void> {
  await db.query(
    `INSERT INTO canonical_media (id, media_type, title, year, metadata, embedding, fetched_at, created_at, cover_url)
     SELECT $2, media_type, title, year, metadata, embedding, fetched_at, created_at, cover_url
     FROM canonical_media WHERE id = $1`,
    [fromId, toId],
  );
  await db.query(`UPDATE favorite_items SET media_id = $2 WHERE media_id = $1`, [fromId, toId]);
  await db.query(
    `INSERT INTO media_aliases (alias_norm, media_id) SELECT alias_norm, $2 FROM media_aliases WHERE media_id = $1
     ON CONFLICT DO NOTHING`,
    [fromId, toId],
  );
  await db.query(`UPDATE media_redirects SET to_id = $2 WHERE to_id = $1`, [fromId, toId]);
  await db.query(`DELETE FROM canonical_media WHERE id = $1`, [fromId]);
  await db.query(`INSERT INTO media_redirects (from_id, to_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [fromId, toId]);
}

/**
 * Finds or creates the one canonical record for a title. Run it inside the importer's
 * transaction: a failed import must leave no half-merged catalogue behind.
 */
export async function resolveMedia(db: Queryable, candidate: MediaCandidate): Promise<ResolvedMedia> {
  const parts = titleParts(candidate.title);
  const year = candidate.year ?? null;
  const external = candidate.externalId ?? null;
  const metadata: Record<string, unknown> = { ...candidate.metadata };
  if (!metadata.era && eraOf(year)) metadata.era = eraOf(year);
  if (candidate.isrc) metadata.isrc = candidate.isrc;
  // Checked here so a bad URL from a source is dropped, not a failed import on the column's CHECK.
  const coverUrl = coverUrlOrNull(candidate.coverUrl);

  if (external) {
    const known = await currentMediaId(db, external);
    if (known) {
      await addAliases(db, known, parts.aliases);
      if (coverUrl) {
        await db.query(`UPDATE canonical_media SET cover_url = $2 WHERE id = $1 AND cover_url IS NULL`, [
          known,
          coverUrl,
        ]);
      }
      return { id: known, created: false };
    }
  }
  let variant: { id: string } | null = null;
  if (candidate.mediaType === "music" && candidate.isrc) {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM canonical_media WHERE media_type = 'music' AND metadata ->> 'isrc' = $1 ORDER BY id LIMIT 1`,
      [candidate.isrc],
    );
    variant = rows[0] ?? null;
  }
  if (!variant) {
    const hits = await db.query<AliasHit>(
      `SELECT m.id, m.year, (m.metadata ->> 'editionYear')::boolean AS edition_year,
              CASE WHEN jsonb_typeof(m.metadata -> 'creators') = 'array'
                   THEN ARRAY(SELECT jsonb_array_elements_text(m.metadata -> 'creators')) END AS creators
       FROM media_aliases a JOIN canonical_media m ON m.id = a.media_id
       WHERE a.alias_norm = $1 AND m.media_type = $2
       ORDER BY m.id`,
      [parts.norm, candidate.mediaType],
    );
    const hit = pickVariant(hits, year, parts.edition, candidate.metadata?.creators);
    if (hit && !parts.edition && hit.edition_year && year !== null && hit.year !== null && hit.year > year) {
      // The record came from a re-release; the original's year is the film's year.
      await db.query(
        `UPDATE canonical_media SET year = $2, metadata = (metadata - 'editionYear') || jsonb_build_object('era', $3::text)
         WHERE id = $1`,
        [hit.id, year, eraOf(year) ?? null],
      );
    }
    variant = hit;
  }
  if (variant) {
    let id = variant.id;
    if (external && id.startsWith("local:")) {
      await promoteLocal(db, id, external);
      id = external;
    } else if (external) {
      // A second external id of one title (another ISBN of the same work): remember it.
      await db.query(`INSERT INTO media_redirects (from_id, to_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        external,
        id,
      ]);
    }
    await addAliases(db, id, parts.aliases);
    // Metadata (and a cover) the catalogue lacks is filled from the import; what it has is kept.
    await db.query(
      `UPDATE canonical_media SET metadata = $2::text::jsonb || metadata, cover_url = coalesce(cover_url, $3::text)
       WHERE id = $1`,
      [id, JSON.stringify(metadata), coverUrl],
    );
    return { id, created: false };
  }

  const id = external ?? (await localId(candidate.mediaType, parts.norm, year));
  if (parts.edition) metadata.editionYear = true;
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO canonical_media (id, media_type, title, year, metadata, cover_url)
     VALUES ($1, $2, $3, $4, $5::text::jsonb, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [id, candidate.mediaType, parts.display, year, JSON.stringify(metadata), coverUrl],
  );
  await addAliases(db, id, parts.aliases);
  return { id, created: inserted.length > 0 };
}
