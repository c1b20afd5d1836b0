import type { Db } from "../db/types";
import { open, seal, sealedKeyId, type KeyRing } from "../crypto/secret-box";
import { tokenContext, verifierContext } from "../connectors/spotify/oauth";

export interface RotationResult {
  resealed: number;
  alreadyCurrent: number;
}

/**
 * Re-seals every secret at rest that is not on the active key (after adding a new key at the
 * front of MESH_ENCRYPTION_KEYS); once this has run, the old key can be removed. Each row is
 * re-sealed in its own statement, guarded by its old value, so a concurrent token refresh wins.
 */
export async function rotateSealedSecrets(
  db: Db,
  ring: KeyRing,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const rows = await db.query<{ user_id: string; service: string; tokens_encrypted: string }>(
    "SELECT user_id, service, tokens_encrypted FROM connector_accounts WHERE tokens_encrypted IS NOT NULL",
  );
  const states = await db.query<{ state: string; verifier_sealed: string }>(
    "SELECT state, verifier_sealed FROM oauth_states WHERE expires_at > now()",
  );
  const total = rows.length + states.length;
  let resealed = 0;
  let done = 0;
  for (const row of rows) {
    if (sealedKeyId(row.tokens_encrypted) !== ring.activeKeyId) {
      const context = tokenContext(row.user_id);
      const fresh = await seal(ring, await open(ring, row.tokens_encrypted, context), context);
      await db.query(
        "UPDATE connector_accounts SET tokens_encrypted = $4 WHERE user_id = $1 AND service = $2 AND tokens_encrypted = $3",
        [row.user_id, row.service, row.tokens_encrypted, fresh],
      );
      resealed++;
    }
    onProgress?.(++done, total);
  }
  for (const row of states) {
    if (sealedKeyId(row.verifier_sealed) !== ring.activeKeyId) {
      const context = verifierContext(row.state);
      const fresh = await seal(ring, await open(ring, row.verifier_sealed, context), context);
      await db.query("UPDATE oauth_states SET verifier_sealed = $2 WHERE state = $1", [row.state, fresh]);
      resealed++;
    }
    onProgress?.(++done, total);
  }
  return { resealed, alreadyCurrent: total - resealed };
}
