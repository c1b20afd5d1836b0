import { createHash } from "node:crypto";
import { projectUrl } from "../auth/config";
import { AuthError, type Viewer } from "../auth/tokens";
import type { Queryable } from "../db/types";
import { HttpError } from "../http/errors";

/**
 * Makes sure a signed-in person has what the API needs: a row in auth.users and a profile.
 *
 * On Supabase, Supabase Auth creates the auth.users row at sign-up and the on_auth_user_created
 * trigger (core tables migration) creates the profile, so this normally finds both. It fills the
 * gaps: people who signed up before the trigger existed get their profile here; and where people
 * sign in against a Supabase project (SUPABASE_URL) while the auth schema is this project's
 * compatibility layer (embedded PGlite or a plain PostgreSQL), nothing else writes auth.users, so
 * the user is mirrored from the verified token (id, email, display name), which fires the same
 * trigger.
 *
 * Checked once per user and process; afterwards it costs a set lookup.
 */
export async function ensureAccount(db: Queryable, viewer: Viewer): Promise<void> {
  if (viewer.role !== "authenticated") return;
  const known = knownFor(db);
  if (known.has(viewer.userId)) return;
  const [row] = await db.query<{ has_user: boolean; has_profile: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM auth.users WHERE id = $1) AS has_user,
            EXISTS (SELECT 1 FROM profiles WHERE user_id = $1) AS has_profile`,
    [viewer.userId],
  );
  if (!row.has_user) {
    // Nothing to create unless tokens come from a Supabase Auth that does not write this database:
    // on Supabase a valid token without a user means a deleted account, and the embedded mode's
    // own tokens (demo, npm run token) are only ever issued for users that exist. The route then
    // answers as it always did for an unknown user.
    if (!projectUrl(process.env.SUPABASE_URL) || !(await compatAuthSchema(db))) return;
    await mirrorUser(db, viewer);
  } else if (!row.has_profile) {
    await db.query(
      `INSERT INTO profiles (user_id, display_name)
       SELECT id, left(coalesce(raw_user_meta_data ->> 'display_name', ''), 80) FROM auth.users WHERE id = $1
       ON CONFLICT (user_id) DO NOTHING`,
      [viewer.userId],
    );
  }
  if (known.size >= MAX_KNOWN) known.clear();
  known.add(viewer.userId);
}

/** After an account is deleted: the next request checks again (and refuses the old token). */
export function forgetAccount(db: Queryable, userId: string): void {
  knownFor(db).delete(userId);
}

const MAX_KNOWN = 50_000;
const knownByDb = new WeakMap<Queryable, Set<string>>();
const compatByDb = new WeakMap<Queryable, Promise<boolean>>();

function knownFor(db: Queryable): Set<string> {
  let known = knownByDb.get(db);
  if (!known) knownByDb.set(db, (known = new Set()));
  return known;
}

/** True when auth.users is supabase/compat's table (Supabase's own has GoTrue's columns). */
function compatAuthSchema(db: Queryable): Promise<boolean> {
  let compat = compatByDb.get(db);
  if (!compat) {
    compat = db
      .query<{ compat: boolean }>(
        `SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'auth.users'::regclass
                              AND attname = 'encrypted_password' AND NOT attisdropped) AS compat`,
      )
      .then((rows) => rows[0].compat);
    compat.catch(() => compatByDb.delete(db));
    compatByDb.set(db, compat);
  }
  return compat;
}

function stringClaim(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

async function mirrorUser(db: Queryable, viewer: Viewer): Promise<void> {
  // A token issued before this account was deleted must not bring it back (empty, discoverable);
  // signing in again afterwards (a newer token) starts a new, empty account.
  const subject = createHash("sha256").update(viewer.userId).digest("hex").slice(0, 16);
  const [deleted] = await db.query<{ at: Date | string | null }>(
    `SELECT max(created_at) AS at FROM audit_log WHERE action = 'account.deleted' AND detail ->> 'subject' = $1`,
    [subject],
  );
  const issuedAt = typeof viewer.claims.iat === "number" ? viewer.claims.iat * 1000 : 0;
  if (deleted?.at && issuedAt <= new Date(deleted.at).getTime()) {
    throw new AuthError("this account was deleted: sign in again");
  }
  const metadata = (viewer.claims.user_metadata ?? {}) as Record<string, unknown>;
  const displayName = (stringClaim(metadata.display_name) ?? "").slice(0, 80);
  await db.query(
    `INSERT INTO auth.users (id, email, raw_user_meta_data)
     VALUES ($1, $2, jsonb_build_object('display_name', $3::text))
     ON CONFLICT DO NOTHING`,
    [viewer.userId, stringClaim(viewer.claims.email), displayName],
  );
  const [created] = await db.query<{ ok: boolean }>("SELECT EXISTS (SELECT 1 FROM profiles WHERE user_id = $1) AS ok", [
    viewer.userId,
  ]);
  // The insert did nothing: another account here already has this email address.
  if (!created.ok) throw new HttpError(409, "account_conflict", "another account here already uses this email address");
}
