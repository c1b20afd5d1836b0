import { z } from "zod";

/** Traits are stored in user_traits.traits, whose CHECK allows at most 2048 bytes. */
export const TRAITS_MAX_BYTES = 2048;

const weighted = z
  .object({
    label: z.string().min(1).max(40),
    weight: z.number().min(0).max(1),
  })
  .strict();

/**
 * Traits JSON (FR-16): a few weighted descriptors ("cerebral sci-fi") plus the genre, theme and
 * mood distributions they came from, for explanations ("you both love cosy mysteries"). The list
 * and string bounds keep any valid document well under TRAITS_MAX_BYTES; the byte check below is
 * the backstop for wide characters.
 */
export const traitsObjectSchema = z
  .object({
    version: z.literal(1),
    descriptors: z.array(weighted).min(1).max(6),
    genres: z.array(weighted).max(5),
    themes: z.array(weighted).max(5),
    moods: z.array(weighted).max(5),
    mediaMix: z
      .object({ film: z.number().min(0).max(1), book: z.number().min(0).max(1), music: z.number().min(0).max(1) })
      .strict(),
  })
  .strict();

export const traitsSchema = traitsObjectSchema.refine(
  (t) => Buffer.byteLength(JSON.stringify(t), "utf8") <= TRAITS_MAX_BYTES,
  { message: `traits must serialise to at most ${TRAITS_MAX_BYTES} bytes` },
);
export type Traits = z.infer<typeof traitsObjectSchema>;

/** The same schema as JSON Schema: sent to LLMs as the response format. */
export const traitsJsonSchema = z.toJSONSchema(traitsObjectSchema, { target: "draft-7" });

// Only what discovery reads: the descriptors. Not strict, so a stored document that gains a field
// later still serves its descriptors.
const storedDescriptorsSchema = z.object({ descriptors: z.array(weighted) });

/**
 * The descriptors of a stored traits document, strongest first, for discovery's reasons and its
 * diversity stage. Stored documents were checked by traitsSchema on write; one that does not fit
 * (none yet, or written by hand) gives no descriptors rather than failing a slate.
 */
export function storedDescriptors(json: unknown): { label: string; weight: number }[] {
  const parsed = storedDescriptorsSchema.safeParse(json);
  if (!parsed.success) return [];
  return parsed.data.descriptors.filter((d) => d.weight > 0).sort((a, b) => b.weight - a.weight);
}
