export { configureService, resetBreakers, serviceFetch, serviceName } from "./breaker";
export { outboundTimeLeft, withOutboundDeadline } from "./deadline";
export { CircuitOpenError, ExternalServiceError, OutboundDeadlineError } from "./errors";
export { SERVICE_SETTINGS, type ServiceId, type ServiceSettings } from "./services";
