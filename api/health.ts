import { z } from "zod";
import { operation } from "./operation";

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
export type UnavailableResponse = z.infer<typeof unavailableResponse>;

export const operations = {
  health: operation({
    method: "GET",
    path: "/api/health",
    summary: "Is the database reachable and migrated",
    auth: "none",
    responses: {
      200: {
        description: "Healthy.",
        schema: healthResponse,
        example: {
          status: "ok",
          db: "postgres",
          migrations: { applied: 12, latest: "20261126020000" },
          version: "0.1.0",
        },
      },
      503: {
        description: "The database cannot be reached (no credentials or details are given).",
        schema: unavailableResponse,
        example: {
          status: "unavailable",
          error: { code: "db_unreachable", message: "database unreachable" },
          version: "0.1.0",
        },
      },
    },
  }),
};
