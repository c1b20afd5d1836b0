import { z } from "zod";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/experiments/*: an experiment's metrics (role staff). */

export const experimentParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "an experiment id") });

const comparison = z.object({
  controlRate: z.number(),
  variantRate: z.number(),
  difference: z.number(),
  relativeLift: z.number().nullable(),
  z: z.number(),
  pValue: z.number(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean(),
});

const variantMetrics = z.object({
  variant: z.string(),
  share: z.number(),
  people: z.number().int(),
  exposures: z.number().int(),
  clicks: z.number().int(),
  connects: z.number().int(),
  accepts: z.number().int(),
  ctr: z.number(),
  connectRate: z.number(),
  acceptanceRate: z.number(),
  meanDwellMs: z.number().nullable(),
  vsControl: z.object({ ctr: comparison, connectRate: comparison, acceptanceRate: comparison }).nullable(),
});

export const experimentMetricsResponse = z.object({
  experiment: z.object({
    id: z.string(),
    status: z.enum(["draft", "running", "stopped", "promoted"]),
    startedAt: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    winner: z.string().nullable(),
  }),
  control: z.string(),
  variants: z.array(variantMetrics),
  sampleRatio: z.object({ chiSquare: z.number(), df: z.number().int(), pValue: z.number(), mismatch: z.boolean() }),
  unit: z.literal("exposed (viewer, person) pair"),
  /** The latest weekly coverage report (all traffic, not per variant), against its target. */
  coverage: z
    .object({
      periodStart: z.string(),
      periodEnd: z.string(),
      discoverable: z.number().int(),
      shown: z.number().int(),
      coverage: z.number().nullable(),
      target: z.number(),
    })
    .nullable(),
});

const cmp = (c: number, v: number, p: number, lo: number, hi: number) => ({
  controlRate: c,
  variantRate: v,
  difference: v - c,
  relativeLift: (v - c) / c,
  z: 2.1,
  pValue: p,
  ci95: [lo, hi] as [number, number],
  significant: p < 0.05,
});

export const operations = {
  metrics: operation({
    method: "GET",
    path: "/api/v2/experiments/{id}/metrics",
    summary: "An experiment's metrics per variant, against the control (staff)",
    description:
      "Exposed people and pairs, click-through, connect and acceptance rates and dwell per variant; each rate against " +
      "the control with a two-proportion z-test p-value and a 95% confidence interval; a sample-ratio-mismatch check.",
    auth: { role: "staff" },
    params: experimentParams,
    responses: {
      200: {
        description: "The metrics.",
        schema: experimentMetricsResponse,
        example: {
          experiment: {
            id: "mmr-06",
            status: "running",
            startedAt: "2026-12-01T10:00:00.000Z",
            stoppedAt: null,
            winner: null,
          },
          control: "control",
          variants: [
            {
              variant: "control",
              share: 0.5,
              people: 1012,
              exposures: 20240,
              clicks: 2024,
              connects: 607,
              accepts: 202,
              ctr: 0.1,
              connectRate: 0.03,
              acceptanceRate: 0.01,
              meanDwellMs: 2400,
              vsControl: null,
            },
            {
              variant: "lambda-06",
              share: 0.5,
              people: 998,
              exposures: 19960,
              clicks: 2196,
              connects: 679,
              accepts: 240,
              ctr: 0.11,
              connectRate: 0.034,
              acceptanceRate: 0.012,
              meanDwellMs: 2550,
              vsControl: {
                ctr: cmp(0.1, 0.11, 0.001, 0.004, 0.016),
                connectRate: cmp(0.03, 0.034, 0.02, 0.0006, 0.0074),
                acceptanceRate: cmp(0.01, 0.012, 0.05, 0.0, 0.004),
              },
            },
          ],
          sampleRatio: { chiSquare: 0.097, df: 1, pValue: 0.755, mismatch: false },
          unit: "exposed (viewer, person) pair",
          coverage: {
            periodStart: "2026-11-23T06:40:00.000Z",
            periodEnd: "2026-11-30T06:40:00.000Z",
            discoverable: 2000,
            shown: 1712,
            coverage: 0.856,
            target: 0.9,
          },
        },
      },
    },
    errors: ["not_found"],
  }),
};
