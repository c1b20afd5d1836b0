import type { BatchPhase } from "../../jobs/batch";
import { trainRanker, type TrainingOutcome } from "./training";

/**
 * The ranker-training batch: one step (train, gate, store) inside one chunk transaction, so a new
 * version and its activation commit together. The outcome is logged (no personal data in it).
 */
export const rankerTrainingPhase: BatchPhase = {
  name: "ranker training",
  total: async () => 1,
  async step(tx) {
    const outcome: TrainingOutcome = await trainRanker(tx);
    console.log(`[mesh] ranker-training: ${JSON.stringify(outcome)}`);
    return { processed: 1, cursor: null, done: true };
  },
};
