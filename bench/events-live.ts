import { randomUUID } from "node:crypto";
import { readServerSentEvents } from "../api/server-sent-events";
import type { BehaviourFeatures } from "../lib/events/features";
import { summarise, type Latency } from "./lib/stats";

/**
 * The live channel's lag through a running server: one person's stream open
 * (GET /api/v2/events/live), then `samples` single events sent one after another through
 * POST /api/v2/events; each lag runs from the 202 to the stream's `features` event that holds it.
 */
export async function measureLiveLag(serverUrl: string, token: string, samples = 50): Promise<Latency> {
  const abort = new AbortController();
  const res = await fetch(`${serverUrl}/api/v2/events/live`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`live stream answered ${res.status}`);
  const stream = readServerSentEvents(res.body!);
  const nextFeatures = async (): Promise<BehaviourFeatures> => {
    for (;;) {
      const { value, done } = await stream.next();
      if (done) throw new Error("the live stream ended");
      if (value.event === "features") return JSON.parse(value.data) as BehaviourFeatures;
    }
  };
  await nextFeatures();
  const lags: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const targetId = `live-${randomUUID()}`;
      const answer = await fetch(`${serverUrl}/api/v2/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          events: [
            {
              id: randomUUID(),
              kind: "open_profile",
              targetType: "person",
              targetId,
              clientTime: new Date().toISOString(),
            },
          ],
        }),
      });
      if (answer.status !== 202) throw new Error(`POST /api/v2/events answered ${answer.status}`);
      const t0 = performance.now();
      while ((await nextFeatures()).lastActions[0]?.targetId !== targetId);
      lags.push(performance.now() - t0);
    }
  } finally {
    abort.abort();
  }
  return summarise(lags);
}
