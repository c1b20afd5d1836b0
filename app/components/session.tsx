"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createApiClient, type ApiClient, type DemoSession } from "@/api/client";

// sessionStorage: the token lives as long as the tab, and is not sent with every request like a cookie.
const STORAGE_KEY = "mesh.session";

interface SessionContextValue {
  /** False until sessionStorage has been read (the first render happens on the server). */
  ready: boolean;
  session: DemoSession | null;
  signIn: (session: DemoSession) => void;
  signOut: () => void;
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

export function SessionProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [session, setSession] = useState<DemoSession | null>(null);

  useEffect(() => {
    setSession(readStored());
    setReady(true);
  }, []);

  const signIn = useCallback((next: DemoSession) => {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSession(next);
  }, []);

  const signOut = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const api = useMemo(() => createApiClient({ token: session?.token ?? null }), [session]);

  return <SessionContext.Provider value={{ ready, session, signIn, signOut, api }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
