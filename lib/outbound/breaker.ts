import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { log } from "../log";
import { outboundTimeLeft } from "./deadline";
import { CircuitOpenError, ExternalServiceError, OutboundDeadlineError } from "./errors";
import { SERVICE_SETTINGS, type ServiceId, type ServiceSettings } from "./services";

interface Breaker {
  settings: ServiceSettings;
  policy: CircuitBreakerPolicy;
  openedAt: number | null;
}

const breakers = new Map<ServiceId, Breaker>();
const overrides = new Map<ServiceId, Partial<ServiceSettings>>();

/** A 5xx or 429 is the service failing (the caller still reads it, e.g. for Retry-After). */
const failingAnswer = (r: unknown) => r instanceof Response && (r.status >= 500 || r.status === 429);

function breakerFor(service: ServiceId): Breaker {
  const existing = breakers.get(service);
  if (existing) return existing;
  const settings = { ...SERVICE_SETTINGS[service], ...overrides.get(service) };
  const policy = circuitBreaker(handleAll.orWhenResult(failingAnswer), {
    halfOpenAfter: settings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.failureThreshold),
  });
  const created: Breaker = { settings, policy, openedAt: null };
  policy.onBreak(() => {
    created.openedAt = Date.now();
    log.error(
      `${settings.name}: circuit open after ${settings.failureThreshold} failures in a row; calls fail fast for ${settings.halfOpenAfterMs / 1000} s`,
    );
  });
  policy.onReset(() => {
    created.openedAt = null;
    log.info(`${settings.name}: circuit closed again`);
  });
  breakers.set(service, created);
  return created;
}

/** Seconds until an open breaker lets a trial call through (at least 1). */
function secondsUntilHalfOpen(b: Breaker): number {
  const left = (b.openedAt ?? Date.now()) + b.settings.halfOpenAfterMs - Date.now();
  return Math.max(1, Math.ceil(left / 1000));
}

/** The service's display name, for callers' own error messages. */
export function serviceName(service: ServiceId): string {
  return breakerFor(service).settings.name;
}

/**
 * fetch() through the service's breaker with a bounded timeout (the service's, or less when a
 * route's outbound deadline is nearer). Answers any Response (a 5xx or 429 counts against the
 * breaker but is returned so the caller can read it); throws ExternalServiceError when there is no
 * answer (timeout, refused, reset) and CircuitOpenError without calling when the breaker is open.
 */
export async function serviceFetch(service: ServiceId, url: string, init: RequestInit = {}): Promise<Response> {
  const b = breakerFor(service);
  const left = outboundTimeLeft();
  if (left <= 0) throw new OutboundDeadlineError(b.settings.name);
  const timeoutMs = Math.min(b.settings.timeoutMs, left);
  try {
    return await b.policy.execute(() => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }));
  } catch (err) {
    if (err instanceof BrokenCircuitError) throw new CircuitOpenError(b.settings.name, secondsUntilHalfOpen(b));
    const e = err as Error;
    const what = e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : `unreachable (${e.message})`;
    throw new ExternalServiceError(b.settings.name, `${what} (${new URL(url).pathname})`);
  }
}

/** Changes a service's settings (tests: short timeouts and cool-downs); resets its breaker. */
export function configureService(service: ServiceId, settings: Partial<ServiceSettings>): void {
  overrides.set(service, { ...overrides.get(service), ...settings });
  breakers.delete(service);
}

/** Forgets every breaker's state and every override (tests, between cases). */
export function resetBreakers(): void {
  breakers.clear();
  overrides.clear();
}
