import { z } from "zod";
import { MIN_MMR_LAMBDA } from "../discovery/settings";

/** What a variant changes: the ranker version it serves and/or discovery settings. */
export const variantSettingsSchema = z
  .object({
    modelVersion: z.string().min(1).max(100).optional(),
    mmrLambda: z.number().min(MIN_MMR_LAMBDA).max(1).optional(),
    explorationRate: z.number().min(0).max(1).optional(),
  })
  .strict();
export type VariantSettings = z.infer<typeof variantSettingsSchema>;

export const variantSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
    share: z.number().gt(0).lte(1),
    settings: variantSettingsSchema.default({}),
  })
  .strict();
export type Variant = z.infer<typeof variantSchema>;

/** Two or more variants with distinct names whose shares add up to 1; the first is the control. */
export const variantsSchema = z
  .array(variantSchema)
  .min(2)
  .max(10)
  .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, { message: "variant names must differ" })
  .refine((vs) => Math.abs(vs.reduce((s, v) => s + v.share, 0) - 1) < 1e-9, { message: "shares must add up to 1" });

export const experimentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const experimentStatuses = ["draft", "running", "stopped", "promoted"] as const;
export type ExperimentStatus = (typeof experimentStatuses)[number];

export interface Experiment {
  id: string;
  description: string;
  status: ExperimentStatus;
  variants: Variant[];
  winner: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
}
