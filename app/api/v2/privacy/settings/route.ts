import { privacySettingsUpdate, type PrivacySettingsResponse } from "@/api/privacy";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/body";
import { handle, json } from "@/lib/http/errors";
import { getPrivacySettings, updatePrivacySettings } from "@/lib/privacy/settings";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const view: PrivacySettingsResponse = await getPrivacySettings(await getDb(), viewer.userId);
  return json(view);
});

export const PUT = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const change = privacySettingsUpdate.parse(await readJson(request));
  const view: PrivacySettingsResponse = await updatePrivacySettings(await getDb(), viewer.userId, change);
  return json(view);
});
