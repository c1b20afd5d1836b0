import { operations } from "@/api/audit-group";
import { getAuditGroup, setAuditGroup } from "@/lib/fairness/audit-group";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.getAuditGroup, async ({ viewer, db }) => getAuditGroup(await db(), viewer.userId));

export const PUT = route(operations.setAuditGroup, async ({ viewer, db, body }) =>
  setAuditGroup(await db(), viewer.userId, body),
);
