import { operations } from "@/api/dev";
import { route } from "@/lib/route";
import { issueDemoSession } from "@/lib/runtime/local-token";

export const dynamic = "force-dynamic";

export const POST = route(operations.demoSession, ({ db }) => issueDemoSession(db));
