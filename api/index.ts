import { operations as auditGroup } from "./audit-group";
import { operations as auth } from "./auth";
import { operations as blocks } from "./blocks";
import { operations as cron } from "./cron";
import { operations as dev } from "./dev";
import { operations as events } from "./events";
import { operations as experiments } from "./experiments";
import { operations as discovery } from "./discovery";
import { operations as document } from "./document";
import { operations as favorites } from "./favorites";
import { operations as health } from "./health";
import { operations as media } from "./media";
import { operations as moderation } from "./moderation";
import type { Operation } from "./operation";
import { operations as privacy } from "./privacy";
import { operations as reports } from "./reports";
import { operations as rooms } from "./rooms";
import { operations as scenarios } from "./scenarios";
import { operations as streams } from "./streams";
import { operations as profile } from "./profile";
import { operations as recommendations } from "./recommendations";
import { operations as shareCard } from "./share-card";

/**
 * The HTTP contract, every resource's operations table (see README.md). Route files under
 * app/api/ serve these operations; the OpenAPI document, the browser client and the tests read
 * them from here.
 */
export const resources = {
  auth,
  blocks,
  cron,
  dev,
  discovery,
  events,
  experiments,
  favorites,
  health,
  media,
  moderation,
  privacy,
  auditGroup,
  reports,
  rooms,
  streams,
  scenarios,
  profile,
  recommendations,
  shareCard,
  document,
};

export interface NamedOperation {
  /** The operationId: the operation's key in its resource's table. */
  id: string;
  /** The resource (file) it belongs to: the OpenAPI tag. */
  resource: string;
  operation: Operation;
}

/** Every operation, in the resources' order. */
export function allOperations(): NamedOperation[] {
  return Object.entries(resources).flatMap(([resource, table]) =>
    Object.entries(table as Record<string, Operation>).map(([id, operation]) => ({ id, resource, operation })),
  );
}
