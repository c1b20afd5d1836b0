import type { Queryable } from "../db/types";
import { toVectorParam } from "../db/vector";
import { mediaMetadataSchema, type MediaType } from "../media/types";
import type { EmbeddableTitle, EmbeddingProvider } from "./provider";

interface MediaRow {
  id: string;
  media_type: MediaType;
  title: string;
  year: number | null;
  metadata: unknown;
}

function toEmbeddable(r: MediaRow): EmbeddableTitle {
  // Metadata written by other importers may miss lists; defaults make it embeddable anyway.
  const parsed = mediaMetadataSchema.safeParse(r.metadata ?? {});
  return {
    id: r.id,
    mediaType: r.media_type,
    title: r.title,
    year: r.year,
    metadata: parsed.success ? parsed.data : mediaMetadataSchema.parse({}),
  };
}

async function store(db: Queryable, provider: EmbeddingProvider, rows: MediaRow[]): Promise<void> {
  if (!rows.length) return;
  const vectors = await provider.embed(rows.map(toEmbeddable), db);
  await db.query(
    `UPDATE canonical_media m SET embedding = t.embedding::vector
     FROM unnest($1::text[], $2::text[]) AS t(id, embedding) WHERE m.id = t.id`,
    [rows.map((r) => r.id), vectors.map((v) => toVectorParam(v))],
  );
  // A new embedding makes the title's taste projection stale; the next run projects it again.
  await db.query(`DELETE FROM media_taste_projections WHERE media_id = ANY($1::text[])`, [rows.map((r) => r.id)]);
}

/**
 * Embeds up to `limit` titles that have no embedding yet, in id order after `after` (a keyset
 * cursor, so a resumed batch continues where it stopped). Returns the last id handled.
 */
export async function fillMissingEmbeddings(
  db: Queryable,
  provider: EmbeddingProvider,
  options: { after: string | null; limit: number },
): Promise<{ processed: number; last: string | null }> {
  const rows = await db.query<MediaRow>(
    `SELECT id, media_type, title, year, metadata FROM canonical_media
     WHERE embedding IS NULL AND ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [options.after, options.limit],
  );
  await store(db, provider, rows);
  return { processed: rows.length, last: rows.at(-1)?.id ?? options.after };
}

export async function countMissingEmbeddings(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM canonical_media WHERE embedding IS NULL`);
  return row.n;
}

/** Embeds the titles a user has favorited that have no embedding yet (the re-embed queue). */
export async function embedUserTitles(db: Queryable, provider: EmbeddingProvider, userId: string): Promise<number> {
  const rows = await db.query<MediaRow>(
    `SELECT DISTINCT m.id, m.media_type, m.title, m.year, m.metadata
     FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
     WHERE f.user_id = $1 AND m.embedding IS NULL ORDER BY m.id`,
    [userId],
  );
  await store(db, provider, rows);
  return rows.length;
}
