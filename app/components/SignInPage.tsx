"use client";

import Link from "next/link";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { SignInPanel } from "./SignInPanel";

export function SignInPage() {
  const { t } = useLocale();
  const { ready, session } = useSession();
  if (!ready) return <p role="status">{t("common.loading")}</p>;
  if (session) return <Link href="/">{t("signIn.done")}</Link>;
  return <SignInPanel />;
}
