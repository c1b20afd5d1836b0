"use client";

import type { ReactNode } from "react";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { SignInPanel } from "./SignInPanel";

/** Renders its children once someone is signed in; the sign-in panel until then. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { ready, session } = useSession();
  const { t } = useLocale();
  if (!ready) return <p role="status">{t("common.loading")}</p>;
  if (!session) return <SignInPanel />;
  return <>{children}</>;
}
