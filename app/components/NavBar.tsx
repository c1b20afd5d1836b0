"use client";

import Link from "next/link";
import type { UiLocale } from "@/app/i18n/messages";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { secondaryButtonStyle } from "./styles";

export function NavBar() {
  const { t, locale, setLocale } = useLocale();
  const { session, signOut } = useSession();
  return (
    <nav
      aria-label="Main"
      style={{ display: "flex", gap: "1rem", alignItems: "center", flexWrap: "wrap", marginBottom: "1rem" }}
    >
      <Link href="/">{t("nav.discover")}</Link>
      <Link href="/live">{t("nav.live")}</Link>
      <Link href="/shop">{t("nav.shop")}</Link>
      <Link href="/favorites">{t("nav.favorites")}</Link>
      <Link href="/settings/discovery">{t("nav.privacy")}</Link>
      <a href="/api/health">{t("nav.health")}</a>
      <label style={{ marginLeft: "auto" }}>
        {t("nav.language")}{" "}
        <select data-testid="locale-switch" value={locale} onChange={(e) => setLocale(e.target.value as UiLocale)}>
          <option value="en">English</option>
          <option value="es">Español</option>
        </select>
      </label>
      {session?.email && <span data-testid="signed-in-as">{t("nav.signedInAs", { email: session.email })}</span>}
      {session && (
        <button type="button" data-testid="sign-out" onClick={() => signOut()} style={secondaryButtonStyle}>
          {t("nav.signOut")}
        </button>
      )}
    </nav>
  );
}
