import { viewerFromRequest, type Viewer } from "../auth/tokens";
import { getDb } from "../db";
import { ensureAccount } from "./account";

/**
 * The signed-in caller of an API route: the verified token's user, with an account and a profile
 * ready (the first request after a Supabase sign-up creates what is missing; see account.ts).
 */
export async function signedInViewer(request: Request): Promise<Viewer> {
  const viewer = await viewerFromRequest(request);
  await ensureAccount(await getDb(), viewer);
  return viewer;
}
