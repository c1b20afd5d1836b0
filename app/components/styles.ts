import type { CSSProperties } from "react";

/** Shared inline styles (the CSP allows inline styles; no stylesheet pipeline is needed). */

// Indigo 900 on white and white on indigo 700: both well above WCAG AA contrast.
export const buttonStyle: CSSProperties = {
  background: "#4338ca",
  color: "#fff",
  border: "none",
  borderRadius: 6,
  padding: "0.5rem 0.9rem",
  fontSize: "1rem",
  cursor: "pointer",
};

export const secondaryButtonStyle: CSSProperties = {
  ...buttonStyle,
  background: "#fff",
  color: "#1e1b4b",
  border: "1px solid #4338ca",
};

export const noticeStyle: CSSProperties = {
  background: "#eef2ff",
  color: "#1e1b4b",
  borderRadius: 6,
  padding: "0.5rem 0.75rem",
};

export const cardStyle: CSSProperties = {
  border: "1px solid #c7d2fe",
  borderRadius: 12,
  padding: "1rem",
  background: "#fff",
  color: "#111827",
};
