import { z } from "zod";
import { AUDIT_GROUP_PATTERN } from "@/lib/fairness/audit-group-code";
import { operation } from "./operation";

/**
 * The HTTP contract of /api/v2/privacy/audit-group: the optional, self-declared audit attribute
 * under its own switch (off by default). Used only to check that suggestions are fair across
 * groups: never shown to anyone else, never a ranking feature; exported and deleted with the account.
 */

const group = z.string().regex(AUDIT_GROUP_PATTERN, "a short code: a-z, 0-9, - and _, at most 40");

export const auditGroupResponse = z.object({ enabled: z.boolean(), group: group.nullable() });
export type AuditGroupResponse = z.infer<typeof auditGroupResponse>;

export const auditGroupUpdate = z.discriminatedUnion("enabled", [
  z.object({ enabled: z.literal(true), group }).strict(),
  z.object({ enabled: z.literal(false) }).strict(),
]);

export const operations = {
  getAuditGroup: operation({
    method: "GET",
    path: "/api/v2/privacy/audit-group",
    summary: "The caller's self-declared audit group (off unless they declared one)",
    auth: "user",
    responses: {
      200: {
        description: "The switch and the group.",
        schema: auditGroupResponse,
        example: { enabled: false, group: null },
      },
    },
  }),
  setAuditGroup: operation({
    method: "PUT",
    path: "/api/v2/privacy/audit-group",
    summary: "Declare or withdraw the audit group",
    description:
      '{"enabled": true, "group": "<code>"} declares it; {"enabled": false} deletes it. Read only by the ' +
      "fairness stage and the weekly fairness report.",
    auth: "user",
    body: auditGroupUpdate,
    bodyExample: { enabled: true, group: "b" },
    responses: {
      200: {
        description: "The setting after the change.",
        schema: auditGroupResponse,
        example: { enabled: true, group: "b" },
      },
    },
  }),
};
