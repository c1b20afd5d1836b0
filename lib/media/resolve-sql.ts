import type { Queryable } from "../db/types";
import type { CatalogueRecord, CatalogueView, PreparedCandidate, RecordPatch, ResolutionPlan } from "./resolve-plan";
import type { MediaType } from "./types";

// Every statement here touches rows in id order, and a batch inserts before it updates, so two
// batches never wait on each other in a circle (see docs/DESIGN.md, "Concurrent imports").

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads, in three statements, every record the batch's external ids, ISRCs and titles can match. */
export async function readCatalogue(db: Queryable, batch: PreparedCandidate[]): Promise<CatalogueView> {
  const externalIds = [...new Set(batch.flatMap((c) => (c.external ? [c.external] : [])))];
  const isrcList = [...new Set(batch.flatMap((c) => (c.mediaType === "music" && c.isrc ? [c.isrc] : [])))];
  const norms = [...new Set(batch.map((c) => c.parts.norm))];
  const [externalRows, isrcRows, aliasRows] = await Promise.all([
    externalIds.length
      ? db.query<{ ext: string; id: string }>(
          `SELECT e.ext, m.id FROM unnest($1::text[]) AS e(ext)
           JOIN canonical_media m ON m.id = coalesce((SELECT to_id FROM media_redirects WHERE from_id = e.ext), e.ext)`,
          [externalIds],
        )
      : [],
    isrcList.length
      ? db.query<{ isrc: string; id: string }>(
          `SELECT DISTINCT ON (metadata ->> 'isrc') metadata ->> 'isrc' AS isrc, id FROM canonical_media
           WHERE media_type = 'music' AND metadata ->> 'isrc' = ANY($1::text[]) ORDER BY metadata ->> 'isrc', id`,
          [isrcList],
        )
      : [],
    db.query<{
      alias_norm: string;
      id: string;
      media_type: MediaType;
      year: number | null;
      edition_year: boolean | null;
      creators: string[] | null;
      isrc: string | null;
    }>(
      `SELECT a.alias_norm, m.id, m.media_type, m.year, (m.metadata ->> 'editionYear')::boolean AS edition_year,
              CASE WHEN jsonb_typeof(m.metadata -> 'creators') = 'array'
                   THEN ARRAY(SELECT jsonb_array_elements_text(m.metadata -> 'creators')) END AS creators,
              m.metadata ->> 'isrc' AS isrc
       FROM media_aliases a JOIN canonical_media m ON m.id = a.media_id
       WHERE a.alias_norm = ANY($1::text[])`,
      [norms],
    ),
  ]);
  const records = new Map<string, CatalogueRecord>();
  const aliases = new Map<string, Set<string>>();
  const stored = new Set<string>();
  for (const row of aliasRows) {
    stored.add(aliasKey(row.alias_norm, row.id));
    records.set(row.id, {
      id: row.id,
      mediaType: row.media_type,
      year: row.year,
      editionYear: Boolean(row.edition_year),
      creators: row.creators,
      isrc: row.isrc,
    });
    let ids = aliases.get(row.alias_norm);
    if (!ids) aliases.set(row.alias_norm, (ids = new Set()));
    ids.add(row.id);
  }
  return {
    externals: new Map(externalRows.map((r) => [r.ext, r.id])),
    isrcs: new Map(isrcRows.map((r) => [r.isrc, r.id])),
    records,
    aliases,
    storedAliases: stored,
  };
}

export const aliasKey = (norm: string, mediaId: string) => `${norm}\u0000${mediaId}`;

/** Locks existing rows in id order before they are moved and deleted. */
async function lockForPromotion(db: Queryable, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db.query(`SELECT id FROM canonical_media WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [ids]);
}

/**
 * Moves a stored local record to the external id found for it: favorites (anyone's), aliases and
 * older redirects follow, and the local id keeps resolving through a redirect.
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
     ORDER BY alias_norm ON CONFLICT DO NOTHING`,
    [fromId, toId],
  );
  await db.query(`UPDATE media_redirects SET to_id = $2 WHERE to_id = $1`, [fromId, toId]);
  await db.query(`DELETE FROM canonical_media WHERE id = $1`, [fromId]);
}

async function insertRecords(db: Queryable, plan: ResolutionPlan): Promise<Set<string>> {
  if (!plan.creates.size) return new Set();
  const rows = [...plan.creates.values()].sort((a, b) => byText(a.id, b.id));
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO canonical_media (id, media_type, title, year, metadata, cover_url)
     SELECT t.id, t.media_type, t.title, t.year, t.metadata, t.cover_url
     FROM jsonb_to_recordset($1::text::jsonb)
       AS t(id text, media_type text, title text, year int, metadata jsonb, cover_url text)
     ORDER BY t.id
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(rows.map((r) => ({ ...r, media_type: r.mediaType, cover_url: r.coverUrl, mediaType: undefined })))],
  );
  return new Set(inserted.map((r) => r.id));
}

async function patchRecords(db: Queryable, patches: Map<string, RecordPatch>): Promise<void> {
  if (!patches.size) return;
  const rows = JSON.stringify(
    [...patches].map(([id, p]) => ({
      id,
      metadata: p.metadata,
      cover_url: p.coverUrl,
      year: p.year?.year ?? null,
      era: p.year?.era ?? null,
    })),
  );
  // Only rows the patch changes are locked (in id order, FOR NO KEY UPDATE: favorites' foreign
  // keys may still point at them meanwhile) and written; a re-import of known titles writes none.
  const changing = await db.query<{ id: string }>(
    `SELECT m.id FROM canonical_media m
     JOIN jsonb_to_recordset($1::text::jsonb) AS p(id text, metadata jsonb, cover_url text, year int) ON p.id = m.id
     WHERE p.year IS NOT NULL OR (p.metadata || m.metadata) IS DISTINCT FROM m.metadata
        OR (m.cover_url IS NULL AND p.cover_url IS NOT NULL)
     ORDER BY m.id FOR NO KEY UPDATE OF m`,
    [rows],
  );
  if (!changing.length) return;
  // Metadata the record lacks is filled (what it has is kept); a re-release's year gives way to
  // the original's, and the edition mark goes with it.
  await db.query(
    `UPDATE canonical_media m SET
       year = coalesce(p.year, m.year),
       metadata = p.metadata || CASE WHEN p.year IS NULL THEN m.metadata
                                     ELSE (m.metadata - 'editionYear') || jsonb_build_object('era', p.era) END,
       cover_url = coalesce(m.cover_url, p.cover_url)
     FROM jsonb_to_recordset($1::text::jsonb) AS p(id text, metadata jsonb, cover_url text, year int, era text)
     WHERE m.id = p.id AND m.id = ANY($2::text[])`,
    [rows, changing.map((r) => r.id)],
  );
}

/** Writes a plan: new records, promotions, fills, aliases, redirects, each in id order. */
export async function applyPlan(
  db: Queryable,
  plan: ResolutionPlan,
  storedAliases: Set<string>,
): Promise<{ id: string; created: boolean }[]> {
  const inserted = await insertRecords(db, plan);
  // A record another batch created meanwhile under the same id: this batch fills it like any other.
  for (const record of plan.creates.values()) {
    if (inserted.has(record.id)) continue;
    const patch = plan.patches.get(record.id) ?? { metadata: {}, coverUrl: null };
    patch.metadata = { ...record.metadata, ...patch.metadata };
    patch.coverUrl ??= record.coverUrl;
    plan.patches.set(record.id, patch);
  }
  const promoted = [...plan.promotions.keys()].sort(byText);
  await lockForPromotion(db, promoted);
  for (const from of promoted) await promoteLocal(db, from, plan.promotions.get(from)!);
  await patchRecords(db, plan.patches);

  const aliasRows = [...plan.aliases]
    .flatMap(([mediaId, norms]) => [...norms].map((aliasNorm) => ({ alias_norm: aliasNorm, media_id: mediaId })))
    .filter((a) => !storedAliases.has(aliasKey(a.alias_norm, a.media_id)))
    .sort((a, b) => byText(a.alias_norm, b.alias_norm) || byText(a.media_id, b.media_id));
  if (aliasRows.length) {
    await db.query(
      `INSERT INTO media_aliases (alias_norm, media_id)
       SELECT t.alias_norm, t.media_id FROM jsonb_to_recordset($1::text::jsonb) AS t(alias_norm text, media_id text)
       ORDER BY t.alias_norm, t.media_id ON CONFLICT DO NOTHING`,
      [JSON.stringify(aliasRows)],
    );
  }
  const redirects = [...plan.redirects].sort(([a], [b]) => byText(a, b));
  if (redirects.length) {
    await db.query(
      `INSERT INTO media_redirects (from_id, to_id)
       SELECT t.from_id, t.to_id FROM jsonb_to_recordset($1::text::jsonb) AS t(from_id text, to_id text)
       ORDER BY t.from_id ON CONFLICT DO NOTHING`,
      [JSON.stringify(redirects.map(([from_id, to_id]) => ({ from_id, to_id })))],
    );
  }
  return plan.results.map((r) => (r.created && !inserted.has(r.id) ? { ...r, created: false } : r));
}
