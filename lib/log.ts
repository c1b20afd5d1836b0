/**
 * The server's log lines. Error messages can carry what a request or a service echoed back (a
 * token in a URL, an email in a constraint message, a user id), so every line is redacted before
 * it is written: nothing personal reaches a log.
 */
const PATTERNS: [RegExp, string][] = [
  // Before emails: "user:password@host" looks like one.
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi, "$1[redacted]@"],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[jwt]"], // JWTs (header starts with {" → eyJ)
  [/\b(bearer|token|secret|password|api[_-]?key|access_token|refresh_token)(["'=:\s]+)[^\s"'&,}]+/gi, "$1$2[redacted]"],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, "[email]"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "[id]"],
];

export function redact(text: string): string {
  return PATTERNS.reduce((t, [re, to]) => t.replace(re, to), text);
}

function describe(detail: unknown): string {
  return detail instanceof Error ? `${detail.name}: ${detail.message}` : String(detail);
}

export const log = {
  info(message: string): void {
    console.log(redact(`[mesh] ${message}`));
  },
  error(message: string, detail?: unknown): void {
    console.error(redact(`[mesh] ${message}${detail === undefined ? "" : `: ${describe(detail)}`}`));
  },
};
