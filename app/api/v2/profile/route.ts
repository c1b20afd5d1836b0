import { operations } from "@/api/profile";
import { getProfile, updateProfile } from "@/lib/profiles/profile";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.getProfile, async ({ viewer, db }) => getProfile(await db(), viewer.userId));

export const PUT = route(operations.updateProfile, async ({ viewer, db, body }) =>
  updateProfile(await db(), viewer.userId, body),
);
