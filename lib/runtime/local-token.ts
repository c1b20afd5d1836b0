import type { LocalTokenRequest, LocalTokenResponse } from "../../api/dev";
import { authConfig } from "../auth/config";
import { signAccessToken } from "../auth/tokens";
import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { createUser } from "../users/create";
import { findDemoUser } from "../users/demo";

export type { LocalTokenRequest };

export class NoDemoUserError extends Error {
  constructor() {
    super("no demo user with favorites yet: run npm run seed (or start npm run dev once) first");
    this.name = "NoDemoUserError";
  }
}

/**
 * Issues a token for an existing user, a new empty user, or a seeded demo user, with the roles
 * asked for (`npm run token -- <user> --role moderator`): the local stand-in for Supabase's
 * app_metadata, signed with the same secret, so the roles are honoured like Supabase's.
 */
export async function issueLocalToken(db: Db, request: LocalTokenRequest): Promise<LocalTokenResponse> {
  let userId: string;
  if (request.mode === "user") userId = request.userId;
  else if (request.mode === "new-user") userId = await createUser(db);
  else {
    const demo = await findDemoUser(db);
    if (!demo) throw new NoDemoUserError();
    userId = demo;
  }
  const token = await signAccessToken(userId, { expiresInSeconds: 24 * 3600, roles: request.roles });
  return { userId, token };
}

/**
 * "Continue as a demo user" on the sign-in page, in embedded mode only: that database holds
 * nothing but seeded demo people and whatever the person at this laptop made, so handing out a
 * demo user's token needs no key. On a real database, or wherever Supabase Auth signs people in,
 * the route does not exist (404).
 */
export async function issueDemoSession(openDb: () => Promise<Db>): Promise<LocalTokenResponse> {
  if (authConfig().mode !== "embedded") throw new HttpError(404, "not_found", "only in embedded mode");
  return issueLocalToken(await openDb(), { mode: "demo" });
}
