/**
 * How people sign in to this server:
 * - "supabase": Supabase Auth (SUPABASE_URL and SUPABASE_ANON_KEY set): email + password and
 *   magic links, straight from the browser to the project's Auth API;
 * - "embedded": no Supabase Auth and no DATABASE_URL: "continue as a demo user" on the laptop;
 * - "none": a real database but no Supabase Auth configured: nobody can sign in from the pages.
 */
export const authModes = ["embedded", "supabase", "none"] as const;
export type AuthMode = (typeof authModes)[number];

export interface AuthConfig {
  mode: AuthMode;
  /** The project URL supabase-js talks to (https://<ref>.supabase.co); null unless mode is supabase. */
  supabaseUrl: string | null;
  /** The project's anon (publishable) key: public by design, it only identifies the project. */
  anonKey: string | null;
}

/** SUPABASE_URL without trailing slashes, if it is an http(s) URL; null otherwise. */
export function projectUrl(raw: string | undefined): string | null {
  const value = raw?.trim().replace(/\/+$/, "");
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : null;
  } catch {
    return null;
  }
}

/**
 * Read from the environment at run time (not inlined at build time like NEXT_PUBLIC_*), so one
 * build serves every deployment and tests can point it at a fake Auth server.
 */
export function authConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const supabaseUrl = projectUrl(env.SUPABASE_URL);
  const anonKey = env.SUPABASE_ANON_KEY?.trim() || null;
  if (supabaseUrl && anonKey) return { mode: "supabase", supabaseUrl, anonKey };
  // Same rule as lib/db/config.ts: no DATABASE_URL means the embedded database.
  const embedded = !env.DATABASE_URL?.trim();
  return { mode: embedded ? "embedded" : "none", supabaseUrl: null, anonKey: null };
}

/** The origin the browser must be allowed to connect to for sign-in (CSP connect-src), if any. */
export function authOrigin(env: Record<string, string | undefined> = process.env): string | null {
  const { supabaseUrl } = authConfig(env);
  return supabaseUrl ? new URL(supabaseUrl).origin : null;
}
