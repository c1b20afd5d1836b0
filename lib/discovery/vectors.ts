import type { Queryable } from "../db/types";
import { unitVector, type DiversityVectors } from "./diversity";

/**
 * Decodes pgvector's binary form (what `vector_send` returns: int16 dimensions, int16 unused, then
 * big-endian float4 values). Fetching the binary form avoids printing and re-parsing 256 decimals
 * per vector, which dominated this stage; the float4 values are the very ones the text form
 * spells (pgvector prints the shortest round-tripping decimal), so MMR sees identical vectors.
 */
export function fromVectorBinary(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = view.getUint16(0);
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) out[i] = view.getFloat32(4 + 4 * i);
  return out;
}

/**
 * The vectors MMR compares the pool's candidates by: a candidate's taste vector only when their
 * favorites signal is on, the profile embedding only when interests are on.
 *
 * Moving the bytes is most of what this costs (a 256-d vector is 1 kB; 300 of them as bytea hex
 * measured 8.6 ms at 1M users, the statement's own work ~3 ms). So profile embeddings come only
 * when some pool member has no visible taste vector: MMR compares two candidates by taste whenever
 * both have one, so otherwise no embedding is ever consulted. And the bytes travel as base64 (4/3
 * of the binary) rather than bytea's hex text (twice the binary).
 */
export async function loadDiversityVectors(db: Queryable, userIds: string[]): Promise<Map<string, DiversityVectors>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; taste: string | null; profile: string | null }>(
    `WITH tv AS MATERIALIZED (
       SELECT u.id,
         CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id
                               AND s.category = 'favorites' AND NOT s.enabled) THEN t.taste END AS taste
       FROM unnest($1::uuid[]) AS u(id)
       LEFT JOIN user_taste_vectors t ON t.user_id = u.id
     ), all_taste AS MATERIALIZED (SELECT coalesce(bool_and(taste IS NOT NULL), true) AS yes FROM tv)
     SELECT u.id, encode(vector_send(u.taste), 'base64') AS taste,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id
                             AND s.category = 'interests' AND NOT s.enabled)
            THEN encode(vector_send(e.embedding), 'base64') END AS profile
     FROM tv u
     LEFT JOIN user_embeddings e ON NOT (SELECT yes FROM all_taste) AND e.user_id = u.id`,
    [userIds],
  );
  const decode = (b64: string | null) => (b64 ? unitVector(fromVectorBinary(Buffer.from(b64, "base64"))) : null);
  return new Map(rows.map((r) => [r.id, { taste: decode(r.taste), profile: decode(r.profile) }]));
}
