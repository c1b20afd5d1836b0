"use client";

import { useState } from "react";
import { ApiError } from "@/api/client";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { buttonStyle, noticeStyle } from "./styles";

/**
 * Embedded mode: "continue as a demo user". Production sign-in (Supabase Auth) is a TODO; the
 * demo route answers 404 there, and the panel says so.
 */
export function SignInPanel() {
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
    <section aria-labelledby="sign-in-title" style={{ padding: "1rem 0" }}>
      <h2 id="sign-in-title">{t("signIn.title")}</h2>
      <p>{t("signIn.intro")}</p>
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
          {t("signIn.productionTodo")}
        </p>
      )}
      {state === "error" && (
        <p role="alert" style={noticeStyle}>
          {t("common.error", { message })}
        </p>
      )}
    </section>
  );
}
