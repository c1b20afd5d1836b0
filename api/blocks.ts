import { z } from "zod";

export const blockBody = z.object({ userId: z.uuid() });
export const blockParams = z.object({ userId: z.uuid() });
export const blockResponse = z.object({ userId: z.uuid(), blocked: z.boolean() });
export type BlockResponse = z.infer<typeof blockResponse>;
