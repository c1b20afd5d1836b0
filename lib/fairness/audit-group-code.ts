/**
 * What a self-declared audit group looks like: a short code (the operator's app offers the
 * choices). Kept free of imports: the HTTP contract (api/) checks it too.
 */
export const AUDIT_GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
