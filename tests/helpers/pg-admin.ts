import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated template database global-setup made for this run. */
    templateDb: string;
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a throwaway database (a clone of the migrated template, or empty) and its URL. */
export async function createTestDatabase(
  url: string,
  from: "template" | "empty",
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mesh_t_${randomBytes(5).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${from === "template" ? inject("templateDb") : "template0"}`);
  await admin.end();
  return {
    url: withDatabase(url, name),
    drop: async () => {
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
