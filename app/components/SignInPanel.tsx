"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/api/client";
import type { MessageKey } from "@/app/i18n/messages";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle, secondaryButtonStyle } from "./styles";

/**
 * Sign-in as this server offers it (GET /api/auth/config): email + password, sign-up and magic
 * links against Supabase Auth in production; "continue as a demo user" in embedded mode (the demo
 * route does not exist elsewhere, so the button is not shown there).
 */
export function SignInPanel() {
  const { t } = useLocale();
  const { mode, configError, signOutReason } = useSession();
  return (
    <section aria-labelledby="sign-in-title" style={{ padding: "1rem 0" }}>
      <h2 id="sign-in-title">{t("signIn.title")}</h2>
      <p>{t("signIn.intro")}</p>
      {signOutReason && (
        <p role="status" data-testid="sign-out-reason" style={noticeStyle}>
          {t("signIn.endedByServer", { message: signOutReason })}
        </p>
      )}
      {mode === "embedded" && <DemoSignIn />}
      {mode === "supabase" && <EmailSignIn />}
      {mode === "none" && (
        <p role="status" data-testid="sign-in-unavailable" style={noticeStyle}>
          {t("signIn.notConfigured")}
        </p>
      )}
      {configError && (
        <p role="alert" style={noticeStyle}>
          {t("common.error", { message: configError })}
        </p>
      )}
    </section>
  );
}

function DemoSignIn() {
  const { t } = useLocale();
  const { api, signIn } = useSession();
  const [state, setState] = useState<"idle" | "working" | "unavailable" | "error">("idle");
  const [message, setMessage] = useState("");

  async function continueAsDemo() {
    setState("working");
    try {
      signIn(await api.demoSession());
      setState("idle");
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setState("unavailable");
      else {
        setState("error");
        setMessage(err instanceof Error ? err.message : String(err));
      }
    }
  }

  return (
    <>
      <button
        type="button"
        data-testid="demo-sign-in"
        onClick={continueAsDemo}
        disabled={state === "working"}
        style={buttonStyle}
      >
        {state === "working" ? t("signIn.working") : t("signIn.demo")}
      </button>
      {state === "unavailable" && (
        <p role="status" style={noticeStyle}>
          {t("signIn.notConfigured")}
        </p>
      )}
      {state === "error" && (
        <p role="alert" style={noticeStyle}>
          {t("common.error", { message })}
        </p>
      )}
    </>
  );
}

/** What supabase-js returns as `error` (AuthError): GoTrue's code when it sent one, the HTTP status. */
interface AuthFailure {
  name?: string;
  message: string;
  status?: number;
  code?: string;
}

/**
 * A sentence a person can act on, from GoTrue's error code, or (older GoTrue, which answered
 * `{error: "invalid_grant", error_description}` without a code) from the status and message.
 */
function describeFailure(error: AuthFailure): { key: MessageKey; message?: string } {
  switch (error.code) {
    case "invalid_credentials":
      return { key: "signIn.error.invalidCredentials" };
    case "email_not_confirmed":
      return { key: "signIn.error.emailNotConfirmed" };
    case "user_already_exists":
    case "email_exists":
      return { key: "signIn.error.userExists" };
    case "weak_password":
      return { key: "signIn.error.weakPassword" };
    case "email_address_invalid":
    case "validation_failed":
      return { key: "signIn.error.badEmail" };
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return { key: "signIn.error.rateLimited" };
    case "signup_disabled":
    case "email_provider_disabled":
    case "otp_disabled":
      return { key: "signIn.error.disabled" };
  }
  if (error.status === 429) return { key: "signIn.error.rateLimited" };
  if (error.name === "AuthRetryableFetchError" || error.status === 0) return { key: "signIn.error.network" };
  if (error.status === 400 && /invalid (login )?credentials|invalid_grant/i.test(error.message)) {
    return { key: "signIn.error.invalidCredentials" };
  }
  return { key: "signIn.error.other", message: error.message };
}

type Notice = { kind: "error" | "info"; text: string } | null;

function EmailSignIn() {
  const { t } = useLocale();
  const { supabase } = useSession();
  const [view, setView] = useState<"signIn" | "signUp">("signIn");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [working, setWorking] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  if (!supabase) return null;
  const auth = supabase.auth;

  function fail(error: AuthFailure) {
    const { key, message } = describeFailure(error);
    setNotice({ kind: "error", text: t(key, { message: message ?? "" }) });
  }

  async function attempt(action: () => Promise<void>) {
    setWorking(true);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      fail({ name: "AuthRetryableFetchError", message: err instanceof Error ? err.message : String(err), status: 0 });
    } finally {
      setWorking(false);
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const address = email.trim();
    if (!address || !password) {
      setNotice({ kind: "error", text: t("signIn.error.missing") });
      return;
    }
    void attempt(async () => {
      if (view === "signIn") {
        // Success signs in through the session provider's auth listener; nothing else to do here.
        const { error } = await auth.signInWithPassword({ email: address, password });
        if (error) fail(error);
        return;
      }
      const { data, error } = await auth.signUp({
        email: address,
        password,
        // Becomes raw_user_meta_data.display_name: the on_auth_user_created trigger copies it to
        // the profile, the name other people see on their cards.
        // A new account starts at /welcome (shown once), from here or from the confirmation link.
        options: { data: { display_name: displayName.trim() }, emailRedirectTo: welcomeUrl() },
      });
      if (error) fail(error);
      else if (!data.session) setNotice({ kind: "info", text: t("signIn.confirmSent", { email: address }) });
      else window.location.assign(welcomeUrl());
    });
  }

  function sendLink() {
    const address = email.trim();
    if (!address) {
      setNotice({ kind: "error", text: t("signIn.error.missingEmail") });
      return;
    }
    void attempt(async () => {
      const { error } = await auth.signInWithOtp({
        email: address,
        options: { emailRedirectTo: landingUrl(), data: { display_name: displayName.trim() } },
      });
      if (error) fail(error);
      else setNotice({ kind: "info", text: t("signIn.magicSent", { email: address }) });
    });
  }

  const signingUp = view === "signUp";
  const field = { display: "block", width: "100%", maxWidth: 360, padding: "0.4rem", fontSize: "1rem" } as const;
  return (
    <form onSubmit={submit} data-testid="email-sign-in" aria-busy={working} noValidate style={{ maxWidth: 420 }}>
      <p>
        <label htmlFor="sign-in-email">{t("signIn.email")}</label>
        <input
          id="sign-in-email"
          data-testid="sign-in-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          style={field}
        />
      </p>
      <p>
        <label htmlFor="sign-in-password">{t("signIn.password")}</label>
        <input
          id="sign-in-password"
          data-testid="sign-in-password"
          type="password"
          autoComplete={signingUp ? "new-password" : "current-password"}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          style={field}
        />
      </p>
      {signingUp && (
        <p>
          <label htmlFor="sign-in-name">{t("signIn.displayName")}</label>
          <input
            id="sign-in-name"
            data-testid="sign-in-name"
            autoComplete="nickname"
            maxLength={80}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            style={field}
          />
        </p>
      )}
      <p style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
        <button type="submit" data-testid="sign-in-submit" disabled={working} style={buttonStyle}>
          {working ? t("signIn.working") : t(signingUp ? "signIn.signUp" : "signIn.submit")}
        </button>
        <button
          type="button"
          data-testid="magic-link"
          disabled={working}
          onClick={sendLink}
          style={secondaryButtonStyle}
        >
          {t("signIn.magicLink")}
        </button>
      </p>
      <p>
        <button
          type="button"
          data-testid="sign-in-switch"
          onClick={() => {
            setView(signingUp ? "signIn" : "signUp");
            setNotice(null);
          }}
          style={{ ...secondaryButtonStyle, border: "none", padding: 0, textDecoration: "underline" }}
        >
          {t(signingUp ? "signIn.haveAccount" : "signIn.newHere")}
        </button>
      </p>
      {notice?.kind === "error" && (
        <p role="alert" data-testid="sign-in-error" style={{ ...noticeStyle, background: "#fef2f2", color: "#7f1d1d" }}>
          {notice.text}
        </p>
      )}
      {notice?.kind === "info" && (
        <p role="status" data-testid="sign-in-notice" style={noticeStyle}>
          {notice.text}
        </p>
      )}
    </form>
  );
}

/** Where the emailed link brings the person back to: this page, without any old fragment. */
function welcomeUrl(): string {
  return `${window.location.origin}/welcome`;
}

function landingUrl(): string {
  return window.location.href.split("#")[0];
}
