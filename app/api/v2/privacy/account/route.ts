import { operations } from "@/api/privacy";
import { route } from "@/lib/route";
import { deleteAccount } from "@/lib/users/delete-account";

export const dynamic = "force-dynamic";

export const DELETE = route(operations.deleteAccount, async ({ viewer, db }) =>
  deleteAccount(await db(), viewer.userId),
);
