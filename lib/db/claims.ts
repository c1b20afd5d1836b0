import type { Db, JwtClaims, Queryable } from "./types";

/**
 * Runs fn in a transaction as the database role named by the claims, with the claims set where
 * auth.uid() / auth.jwt() read them: exactly what PostgREST does on Supabase, so RLS policies
 * apply to fn's queries as they would to the browser's.
 */
export async function withClaims<T>(db: Db, claims: JwtClaims, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    // The role name comes from a closed set (the JwtClaims type), never from user text.
    const role = ({ anon: "anon", authenticated: "authenticated", service_role: "service_role" } as const)[claims.role];
    await tx.exec(`SET LOCAL ROLE ${role}`);
    return fn(tx);
  });
}
