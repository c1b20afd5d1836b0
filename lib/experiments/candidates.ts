import type { Db } from "../db/types";
import { isDatabaseUnavailable } from "../db/unavailable";
import { candidatesPage } from "../discovery/candidates-page";
import { log } from "../log";
import { exposureFor, type Exposure } from "./assign";

type PageRequest = Parameters<typeof candidatesPage>[2];

/**
 * GET /candidates under the running experiment: the viewer's variant (assigned and persisted on
 * first exposure; a staff member's X-Mesh-Experiment override honoured) sets the ranker version and
 * settings the slate is built with, and the page's impressions are logged as exposures. Without a
 * running experiment, or with the database away, the page is served as usual.
 */
export async function experimentCandidatesPage(
  db: Db,
  viewerId: string,
  request: PageRequest & { experimentHeader: string | null; staff: boolean },
) {
  const { experimentHeader, staff, ...page } = request;
  let exposure: Exposure | null = null;
  try {
    exposure = await exposureFor(db, viewerId, { override: experimentHeader, staff });
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    log.error("experiments: exposure unavailable", err);
  }
  if (!exposure) return candidatesPage(db, viewerId, page);
  return candidatesPage(db, viewerId, {
    ...page,
    serve: {
      settings: { ...exposure.settings, ...(exposure.model ? { model: exposure.model } : {}) },
      logged: { experiment: exposure.experiment },
      fresh: exposure.experiment.override === true,
    },
  });
}
