/**
 * What a person can do with a suggested person. Kept free of imports so the HTTP contract (api/)
 * and the browser client can use it without pulling in server code.
 */
export const feedbackActions = [
  "pass",
  "connect",
  "more_like_this",
  "less_like_this",
  "click",
  "connect_accept",
] as const;
export type FeedbackAction = (typeof feedbackActions)[number];
