import { operations } from "@/api/profile";
import { finishOnboarding } from "@/lib/job-registry/finish-onboarding";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.finishWelcome, async ({ viewer, db }) =>
  finishOnboarding(await db(), viewer.userId),
);
