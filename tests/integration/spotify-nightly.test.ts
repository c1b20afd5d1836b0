import { expect, it } from "vitest";
import { enqueueJob } from "../../lib/jobs/enqueue";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

describeEachDriver("nightly Spotify delta sync", (ctx) => {
  it("queues one sync per connected account, never twice, and none for revoked ones", async () => {
    const [connected, alreadyQueued, revoked] = [
      await createUser(ctx.db),
      await createUser(ctx.db),
      await createUser(ctx.db),
    ];
    for (const [user, tokens] of [
      [connected, "v1.k1.iv.ct"],
      [alreadyQueued, "v1.k1.iv.ct"],
      [revoked, null],
    ] as const) {
      await ctx.db.query(
        "INSERT INTO connector_accounts (user_id, service, tokens_encrypted) VALUES ($1, 'spotify', $2)",
        [user, tokens],
      );
    }
    // The same key the OAuth callback uses, so a fresh connect and the nightly run never double up.
    await enqueueJob(
      ctx.db,
      "connector-sync",
      { userId: alreadyQueued, service: "spotify" },
      { dedupeKey: `spotify:${alreadyQueued}` },
    );
    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT public.enqueue_spotify_syncs() AS n");
    expect(n).toBe(1);
    const jobs = await ctx.db.query<{ user_id: string }>(
      "SELECT payload ->> 'userId' AS user_id FROM jobs WHERE kind = 'connector-sync' ORDER BY id",
    );
    expect(jobs.map((j) => j.user_id)).toEqual([alreadyQueued, connected]);
    const [{ again }] = await ctx.db.query<{ again: number }>("SELECT public.enqueue_spotify_syncs() AS again");
    expect(again).toBe(0);
  });
});
