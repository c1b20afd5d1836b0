import { describe, expect, it } from "vitest";
import { Rng } from "../../lib/random";
import {
  chiSquareSurvival,
  compareProportions,
  normalCdf,
  sampleRatioMismatch,
  sampleSizePerArm,
} from "../../lib/experiments/stats";

/** Successes in n Bernoulli(p) draws. */
function draws(rng: Rng, n: number, p: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) s++;
  return s;
}

describe("experiment statistics", () => {
  it("match textbook values", () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(7.814728, 3)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(16.26624, 3)).toBeCloseTo(0.001, 5);
    // 20% vs 25% of 1,000 each: z = 2.677, p = 0.0074, difference 0.05 +/- 0.0365.
    const c = compareProportions({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 });
    expect(c.z).toBeCloseTo(2.6774, 3);
    expect(c.pValue).toBeCloseTo(0.00742, 4);
    expect(c.ci95![0]).toBeCloseTo(0.05 - 0.03654, 4);
    expect(c.ci95![1]).toBeCloseTo(0.05 + 0.03654, 4);
    expect(c.significant).toBe(true);
    expect(sampleSizePerArm(0.1, 0.2)).toBe(3841);
  });

  it("flags a sample-ratio mismatch and not a fair split", () => {
    expect(sampleRatioMismatch([5_000, 5_050], [0.5, 0.5]).mismatch).toBe(false);
    expect(sampleRatioMismatch([5_000, 5_400], [0.5, 0.5]).mismatch).toBe(true);
    expect(sampleRatioMismatch([2_000, 8_000], [0.2, 0.8]).mismatch).toBe(false);
  });

  // The stated sample size: a 10% base rate, +20% relative lift, alpha 0.05, 90% power.
  const n = sampleSizePerArm(0.1, 0.2, 0.9);

  it(`calls 0.05 +/- 0.03 of 200 A/A experiments significant (n = ${n} per arm)`, () => {
    const rng = new Rng(2102);
    let significant = 0;
    for (let run = 0; run < 200; run++) {
      const c = compareProportions(
        { successes: draws(rng, n, 0.1), trials: n },
        { successes: draws(rng, n, 0.1), trials: n },
      );
      if (c.significant) significant++;
    }
    expect(significant / 200).toBeGreaterThanOrEqual(0.02);
    expect(significant / 200).toBeLessThanOrEqual(0.08);
  });

  it("calls a true +20% lift significant in >= 80% of 50 experiments at the stated sample size", () => {
    const rng = new Rng(2103);
    let significant = 0;
    for (let run = 0; run < 50; run++) {
      const c = compareProportions(
        { successes: draws(rng, n, 0.1), trials: n },
        { successes: draws(rng, n, 0.12), trials: n },
      );
      if (c.significant && c.difference > 0) significant++;
    }
    expect(significant / 50).toBeGreaterThanOrEqual(0.8);
  });
});
