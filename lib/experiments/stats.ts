/**
 * The statistics experiments are read with: a two-proportion z-test with a 95% confidence interval
 * for the difference, a chi-square sample-ratio-mismatch check, and the sample size that gives a
 * stated power. Pure functions; the closed forms are textbook (normal CDF by the erfc
 * approximation of Numerical Recipes, |error| < 1.2e-7; chi-square survival for whole degrees of
 * freedom by its finite series), so no statistics library is needed for three formulas.
 */

/** z for a two-sided 95% interval / alpha = 0.05, and for 80% and 90% power. */
export const Z_975 = 1.959963984540054;
export const Z_80 = 0.8416212335729143;
export const Z_90 = 1.2815515655446004;

/** The standard normal CDF. */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** P(X >= x) for X chi-square with `df` (a whole number >= 1) degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError("df must be a whole number >= 1");
  if (x <= 0) return 1;
  const half = x / 2;
  if (df % 2 === 0) {
    // e^{-x/2} * sum_{i < df/2} (x/2)^i / i!
    let term = 1;
    let sum = 1;
    for (let i = 1; i < df / 2; i++) sum += term *= half / i;
    return Math.min(1, Math.exp(-half) * sum);
  }
  // 2 (1 - Phi(sqrt x)) + e^{-x/2} * sum_{i=1}^{(df-1)/2} x^{i-1/2} / (1 * 3 * ... * (2i-1)) * sqrt(2/pi)
  let sum = 0;
  let term = Math.sqrt(x) * Math.sqrt(2 / Math.PI);
  for (let i = 1; i <= (df - 1) / 2; i++) {
    sum += term;
    term *= x / (2 * i + 1);
  }
  return Math.min(1, 2 * (1 - normalCdf(Math.sqrt(x))) + Math.exp(-half) * sum);
}

export interface Proportion {
  successes: number;
  trials: number;
}

export interface ProportionComparison {
  controlRate: number;
  variantRate: number;
  /** variantRate - controlRate. */
  difference: number;
  /** difference / controlRate (null when the control rate is 0). */
  relativeLift: number | null;
  z: number;
  /** Two-sided. */
  pValue: number;
  /** 95% confidence interval of the difference (unpooled standard error); null without trials. */
  ci95: [number, number] | null;
  significant: boolean;
}

/**
 * Two-sided two-proportion z-test of variant against control (pooled standard error under the
 * null), with the 95% interval of the difference. With no trials on a side, nothing can be said:
 * p = 1 and no interval.
 */
export function compareProportions(control: Proportion, variant: Proportion, alpha = 0.05): ProportionComparison {
  const p1 = control.trials ? control.successes / control.trials : 0;
  const p2 = variant.trials ? variant.successes / variant.trials : 0;
  const difference = p2 - p1;
  const relativeLift = p1 > 0 ? difference / p1 : null;
  if (!control.trials || !variant.trials) {
    return {
      controlRate: p1,
      variantRate: p2,
      difference,
      relativeLift,
      z: 0,
      pValue: 1,
      ci95: null,
      significant: false,
    };
  }
  const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / variant.trials));
  const z = se0 > 0 ? difference / se0 : 0;
  const pValue = se0 > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1;
  const se = Math.sqrt((p1 * (1 - p1)) / control.trials + (p2 * (1 - p2)) / variant.trials);
  return {
    controlRate: p1,
    variantRate: p2,
    difference,
    relativeLift,
    z,
    pValue,
    ci95: [difference - Z_975 * se, difference + Z_975 * se],
    significant: pValue < alpha,
  };
}

export interface SampleRatioCheck {
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when the split is this unlikely under the configured shares (p < 0.001). */
  mismatch: boolean;
}

/** Chi-square goodness of fit of the people per variant to the configured traffic shares. */
export function sampleRatioMismatch(observed: readonly number[], shares: readonly number[]): SampleRatioCheck {
  const total = observed.reduce((a, b) => a + b, 0);
  const shareSum = shares.reduce((a, b) => a + b, 0);
  let chiSquare = 0;
  observed.forEach((o, i) => {
    const expected = (total * shares[i]) / shareSum;
    if (expected > 0) chiSquare += (o - expected) ** 2 / expected;
  });
  const df = Math.max(1, observed.length - 1);
  const pValue = total > 0 ? chiSquareSurvival(chiSquare, df) : 1;
  return { chiSquare, df, pValue, mismatch: pValue < 0.001 };
}

/**
 * Trials per arm for a two-sided test at alpha = 0.05 to detect a relative lift of the base rate
 * with the given power (0.8 or 0.9): the standard normal-approximation formula.
 */
export function sampleSizePerArm(baseRate: number, relativeLift: number, power: 0.8 | 0.9 = 0.8): number {
  const p1 = baseRate;
  const p2 = baseRate * (1 + relativeLift);
  const mean = (p1 + p2) / 2;
  const zBeta = power === 0.9 ? Z_90 : Z_80;
  const n =
    (Z_975 * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2;
  return Math.ceil(n);
}
