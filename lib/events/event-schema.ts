import { z } from "zod";
import { clientEventKinds, eventTargetTypes } from "./kinds";

/** A dwell or scroll pause longer than an hour is a tab left open, not attention. */
export const MAX_DWELL_MS = 60 * 60 * 1000;
/** Watching a live stream for half a day is possible; longer is a client bug. */
export const MAX_WATCH_MS = 12 * 60 * 60 * 1000;

/**
 * One client event. Parsed one by one, so a bad event is rejected by its index and field while
 * the good ones of the same batch are kept. Plausibility against the server's clock (clientTime
 * skew) is checked at ingestion, where the server's time is known.
 */
export const clientEventSchema = z
  .object({
    id: z.uuid().meta({ description: "A client-generated UUID: a retried event is stored once." }),
    kind: z.enum(clientEventKinds),
    targetType: z.enum(eventTargetTypes),
    targetId: z.string().min(1).max(200),
    dwellMs: z.number().int().min(0).max(MAX_DWELL_MS).optional(),
    watchMs: z.number().int().min(0).max(MAX_WATCH_MS).optional(),
    query: z.string().max(200).optional(),
    context: z
      .object({ requestId: z.string().max(100).optional(), surface: z.string().max(50).optional() })
      .strict()
      .optional(),
    clientTime: z.iso.datetime({ offset: true }),
  })
  .strict();
export type ClientEvent = z.infer<typeof clientEventSchema>;
