"use client";

import type { SupabaseClient } from "@supabase/supabase-js";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createApiClient, type ApiClient, type AuthConfigResponse, type DemoSession } from "@/api/client";

// Embedded mode: sessionStorage, so the demo token lives as long as the tab and is not sent with
// every request like a cookie. Supabase mode: supabase-js keeps (and refreshes) its own session.
const STORAGE_KEY = "mesh.session";

export type AuthMode = AuthConfigResponse["mode"];

export interface Session {
  userId: string;
  /** The access token at the last auth event; the API client asks for a fresh one per request. */
  token: string;
  /** Supabase mode: the address signed in with. */
  email?: string | null;
}

interface SessionContextValue {
  /** False until the sign-in configuration and any stored session have been read. */
  ready: boolean;
  /** How this server signs people in; null until known. */
  mode: AuthMode | null;
  /** Set when the sign-in configuration could not be read. */
  configError: string | null;
  session: Session | null;
  /** Supabase mode: the client the sign-in form calls; null otherwise. */
  supabase: SupabaseClient | null;
  /** Embedded mode: start the demo session. */
  signIn: (session: DemoSession) => void;
  /** Ends the session (Supabase: revoked on the server too); `reason` is shown on the sign-in panel. */
  signOut: (reason?: string) => void;
  /** Why the last session ended when that was not the person's choice (e.g. the server refused it). */
  signOutReason: string | null;
  /** The typed API client, carrying the session's bearer token. */
  api: ApiClient;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function readStored(): DemoSession | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as DemoSession) : null;
    return parsed && typeof parsed.token === "string" && typeof parsed.userId === "string" ? parsed : null;
  } catch {
    return null;
  }
}

// One Supabase client per page (and per project): two would race each other refreshing the session.
let supabaseClient: { key: string; client: Promise<SupabaseClient> } | null = null;

function supabaseFor(url: string, anonKey: string): Promise<SupabaseClient> {
  const key = `${url} ${anonKey}`;
  if (supabaseClient?.key !== key) {
    // Loaded only in Supabase mode: the embedded mode's pages do without it.
    const client = import("@supabase/supabase-js").then(({ createClient }) =>
      createClient(url, anonKey, {
        auth: {
          persistSession: true, // localStorage: stays signed in across tabs and reloads
          autoRefreshToken: true,
          detectSessionInUrl: true, // the magic link lands back here with the session in the URL
          flowType: "implicit",
        },
      }),
    );
    supabaseClient = { key, client };
  }
  return supabaseClient.client;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [mode, setMode] = useState<AuthMode | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [supabase, setSupabase] = useState<SupabaseClient | null>(null);
  const [signOutReason, setSignOutReason] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    let unsubscribe = () => {};
    (async () => {
      let config: AuthConfigResponse;
      try {
        config = await createApiClient({ token: null }).authConfig();
      } catch (err) {
        if (!active) return;
        setConfigError(err instanceof Error ? err.message : String(err));
        setReady(true);
        return;
      }
      if (!active) return;
      if (config.mode !== "supabase" || !config.supabaseUrl || !config.anonKey) {
        setMode(config.mode);
        setSession(config.mode === "embedded" ? readStored() : null);
        setReady(true);
        return;
      }
      const client = await supabaseFor(config.supabaseUrl, config.anonKey);
      if (!active) return;
      // Every sign-in, refresh and sign-out (here or in another tab) lands here. Only state is set:
      // calling back into supabase-js from this callback could deadlock its session lock.
      const { data } = client.auth.onAuthStateChange((event, s) => {
        setSession(s ? { userId: s.user.id, token: s.access_token, email: s.user.email ?? null } : null);
        if (s) setSignOutReason(null);
        if (event === "INITIAL_SESSION") setReady(true);
      });
      unsubscribe = () => data.subscription.unsubscribe();
      setSupabase(client);
      setMode("supabase");
    })();
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);

  const signIn = useCallback((next: DemoSession) => {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSignOutReason(null);
    setSession(next);
  }, []);

  const signOut = useCallback(
    (reason?: string) => {
      window.sessionStorage.removeItem(STORAGE_KEY);
      setSignOutReason(reason ?? null);
      setSession(null);
      if (supabase) {
        // Revokes the refresh token at Supabase; if that fails (offline), at least forget it here.
        void supabase.auth.signOut().then(({ error }) => {
          if (error) void supabase.auth.signOut({ scope: "local" });
        });
      }
    },
    [supabase],
  );

  const userId = session?.userId ?? null;
  const embeddedToken = mode === "supabase" ? null : (session?.token ?? null);
  const api = useMemo(() => {
    if (supabase && userId) {
      // getSession() hands out the stored token, refreshed first when it is about to expire; the
      // client stays the same object across refreshes, so pages do not reload on each one.
      return createApiClient({
        token: async () => (await supabase.auth.getSession()).data.session?.access_token ?? null,
      });
    }
    return createApiClient({ token: embeddedToken });
  }, [supabase, userId, embeddedToken]);

  return (
    <SessionContext.Provider
      value={{ ready, mode, configError, session, supabase, signIn, signOut, signOutReason, api }}
    >
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
