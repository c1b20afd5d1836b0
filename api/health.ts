import { z } from "zod";

export const healthResponse = z.object({
  status: z.literal("ok"),
  db: z.enum(["pglite", "postgres"]),
  migrations: z.object({ applied: z.number().int(), latest: z.string().nullable() }),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

export const unavailableResponse = z.object({
  status: z.literal("unavailable"),
  error: z.object({ code: z.literal("db_unreachable"), message: z.string() }),
  version: z.string(),
});
