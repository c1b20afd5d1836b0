/**
 * An external service (TMDb, MusicBrainz, Open Library, Spotify, the embeddings API, the traits
 * LLM) failed us: it timed out, refused the connection, kept answering 5xx/429, or its circuit is
 * open. Jobs that hit one are rescheduled, not failed for good; routes answer 503 + Retry-After.
 */
export class ExternalServiceError extends Error {
  constructor(
    /** The service's display name ("TMDb", "Spotify accounts", ...). */
    readonly service: string,
    message: string,
    /** When the service (or its breaker) says to come back, in seconds; unknown when undefined. */
    readonly retryAfterSeconds?: number,
    /** Whether another attempt right away may help (a single timeout or reset), or not (circuit open). */
    readonly retryable = true,
  ) {
    super(`${service}: ${message}`);
    this.name = "ExternalServiceError";
  }
}

/** The service's breaker is open: failed fast, without calling it. */
export class CircuitOpenError extends ExternalServiceError {
  constructor(service: string, retryAfterSeconds: number) {
    super(service, `circuit open after repeated failures; retry in ${retryAfterSeconds} s`, retryAfterSeconds, false);
    this.name = "CircuitOpenError";
  }
}

/** A request-path caller's time for external calls is spent: answer without the service. */
export class OutboundDeadlineError extends ExternalServiceError {
  constructor(service: string) {
    super(service, "no time left in this request for the service", undefined, false);
    this.name = "OutboundDeadlineError";
  }
}
