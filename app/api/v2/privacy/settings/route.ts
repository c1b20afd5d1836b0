import { operations } from "@/api/privacy";
import { getPrivacySettings, updatePrivacySettings } from "@/lib/privacy/settings";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.getPrivacySettings, async ({ viewer, db }) =>
  getPrivacySettings(await db(), viewer.userId),
);

export const PUT = route(operations.updatePrivacySettings, async ({ viewer, db, body }) =>
  updatePrivacySettings(await db(), viewer.userId, body),
);
