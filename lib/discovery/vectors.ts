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
 * The vectors MMR compares candidates by, for the pool only (a candidate's taste vector only when
 * their favorites signal is on, the profile embedding only when interests are on).
 */
export async function loadDiversityVectors(db: Queryable, userIds: string[]): Promise<Map<string, DiversityVectors>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; taste: Uint8Array | null; profile: Uint8Array | null }>(
    `SELECT u.id,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id AND s.category = 'favorites'
                             AND NOT s.enabled) THEN vector_send(t.taste) END AS taste,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id AND s.category = 'interests'
                             AND NOT s.enabled) THEN vector_send(e.embedding) END AS profile
     FROM unnest($1::uuid[]) AS u(id)
     LEFT JOIN user_taste_vectors t ON t.user_id = u.id
     LEFT JOIN user_embeddings e ON e.user_id = u.id`,
    [userIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        taste: r.taste ? unitVector(fromVectorBinary(r.taste)) : null,
        profile: r.profile ? unitVector(fromVectorBinary(r.profile)) : null,
      },
    ]),
  );
}
