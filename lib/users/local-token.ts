import { z } from "zod";
import { signAccessToken } from "../auth/tokens";
import type { Db } from "../db/types";
import { createUser } from "./create";
import { findDemoUser } from "./demo";

export const localTokenRequest = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("user"), userId: z.uuid() }),
  z.object({ mode: z.literal("new-user") }),
  z.object({ mode: z.literal("demo") }),
]);
export type LocalTokenRequest = z.infer<typeof localTokenRequest>;

export class NoDemoUserError extends Error {
  constructor() {
    super("no demo user with favorites yet: run npm run seed (or start npm run dev once) first");
  }
}

/** Issues a token for an existing user, a new empty user, or a seeded demo user. */
export async function issueLocalToken(db: Db, request: LocalTokenRequest): Promise<{ userId: string; token: string }> {
  let userId: string;
  if (request.mode === "user") userId = request.userId;
  else if (request.mode === "new-user") userId = await createUser(db);
  else {
    const demo = await findDemoUser(db);
    if (!demo) throw new NoDemoUserError();
    userId = demo;
  }
  return { userId, token: await signAccessToken(userId, { expiresInSeconds: 24 * 3600 }) };
}
