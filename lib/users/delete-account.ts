import type { Db } from "../db/types";
import { deleteUserData } from "../privacy/delete";
import { forgetAccount } from "./account";

/** Deletes the person and everything that holds them (see privacy/delete.ts), and forgets the account. */
export async function deleteAccount(db: Db, userId: string): Promise<{ deleted: boolean }> {
  const result = await deleteUserData(db, userId);
  // The still-valid token must not find a remembered account: the next request checks again.
  forgetAccount(db, userId);
  return result;
}
