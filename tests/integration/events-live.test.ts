import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { readServerSentEvents } from "../../api/server-sent-events";
import { GET } from "../../app/api/v2/events/live/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { openPostgres } from "../../lib/db/postgres";
import type { Db } from "../../lib/db/types";
import type { BehaviourFeatures } from "../../lib/events/features";
import { ingestEvents } from "../../lib/events/ingest";
import { liveSubscriptions } from "../../lib/events/live";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "events-live-test-secret-of-sufficient-length";

const openProfile = (targetId: string) => ({
  id: randomUUID(),
  kind: "open_profile",
  targetType: "person",
  targetId,
  clientTime: new Date().toISOString(),
});

/** The next `features` event of a stream. */
function sseReader(res: Response) {
  const events = readServerSentEvents(res.body!);
  return async function nextFeatures(): Promise<BehaviourFeatures> {
    for (;;) {
      const { value, done } = await events.next();
      if (done) throw new Error("stream ended");
      if (value.event === "features") return JSON.parse(value.data) as BehaviourFeatures;
    }
  };
}

describeEachDriver("GET /api/v2/events/live", (ctx, driver) => {
  let restore: () => void;
  // On PostgreSQL the events are stored through a pool of their own, as another server instance
  // would: the notice has to cross connections through the database.
  let writer: Db;
  beforeAll(() => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    writer = driver === "postgres" ? openPostgres(ctx.url!, { max: 2 }) : ctx.db;
  });
  afterAll(async () => {
    restore();
    vi.unstubAllEnvs();
    if (writer !== ctx.db) await writer.close();
  });

  it("streams the person's own features at once and after each stored batch, and nobody else's", async () => {
    const ana = await createUser(ctx.db, { displayName: "Ana" });
    const ben = await createUser(ctx.db, { displayName: "Ben" });
    const abort = new AbortController();
    const res = await GET(
      new Request("http://localhost/api/v2/events/live", {
        headers: { authorization: `Bearer ${await signAccessToken(ana)}` },
        signal: abort.signal,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const next = sseReader(res);
    expect((await next()).lastActions).toEqual([]);
    expect(liveSubscriptions(ctx.db, ana)).toBe(1);

    // Ben's events notify Ben's streams only; Ana's next update is her own first action.
    await ingestEvents(writer, { userId: ben }, [openProfile("someone-ben-saw")]);
    await ingestEvents(writer, { userId: ana }, [openProfile("someone-ana-saw")]);
    const update = await next();
    expect(update.lastActions.map((a) => a.targetId)).toEqual(["someone-ana-saw"]);
    expect(update.targetCounts).toEqual([
      expect.objectContaining({ targetId: "someone-ana-saw", kind: "open_profile", n: 1 }),
    ]);

    await ingestEvents(writer, { userId: ana }, [openProfile("another")]);
    expect((await next()).lastActions.map((a) => a.targetId)).toEqual(["another", "someone-ana-saw"]);

    // The page goes away: the subscription goes with it.
    abort.abort();
    await expect.poll(() => liveSubscriptions(ctx.db, ana)).toBe(0);
  });

  it("needs a token", async () => {
    const res = await GET(new Request("http://localhost/api/v2/events/live"));
    expect(res.status).toBe(401);
  });
});
