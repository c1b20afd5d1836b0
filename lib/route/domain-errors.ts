import type { ErrorCode } from "../../api/errors";
import { OAuthStateError } from "../connectors/spotify/oauth";
import { SpotifyNotConfiguredError } from "../connectors/spotify/config";
import { SpotifyRevokedError } from "../connectors/spotify/tokens";
import { HttpError } from "../http/errors";
import { NoDemoUserError } from "../runtime/local-token";
import { NoRecommendationsError } from "../products/recommend";

interface Mapping {
  status: number;
  code: ErrorCode;
  /** The message to answer; the error's own message when omitted. */
  message?: string;
  field?: string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Domain errors as HTTP answers: the one table. Domains throw their own errors and never think
 * about HTTP; what stays generic (validation, authentication, a busy database, HttpError itself)
 * is answered by lib/http/errors.ts.
 */
const table: [ErrorClass, Mapping][] = [
  [NoDemoUserError, { status: 409, code: "no_demo_user" }],
  [NoRecommendationsError, { status: 503, code: "no_recommendations" }],
  [SpotifyNotConfiguredError, { status: 503, code: "not_configured" }],
  [OAuthStateError, { status: 400, code: "invalid_state", field: "state" }],
  [
    SpotifyRevokedError,
    { status: 400, code: "invalid_code", message: "Spotify refused the code: connect again", field: "code" },
  ],
];

/** The HttpError a domain error maps to; anything else is returned as it is. */
export function toHttpError(err: unknown): unknown {
  for (const [type, m] of table) {
    if (err instanceof type) return new HttpError(m.status, m.code, m.message ?? err.message, m.field);
  }
  return err;
}

/** The mapped codes, for the contract's check that every code is documented. */
export const domainErrorCodes = table.map(([, m]) => ({ status: m.status, code: m.code }));
