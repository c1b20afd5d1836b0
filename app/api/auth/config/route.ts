import { operations } from "@/api/auth";
import { authConfig } from "@/lib/auth/config";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.authConfig, () => authConfig());
