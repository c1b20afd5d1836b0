"use client";

import type { ReactNode } from "react";
import { LocaleProvider } from "./locale";
import { SessionProvider } from "./session";

export function Providers({ children }: { children: ReactNode }) {
  return (
    <LocaleProvider>
      <SessionProvider>{children}</SessionProvider>
    </LocaleProvider>
  );
}
