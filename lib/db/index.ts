export type { Db, Queryable, DriverKind, JwtClaims, SqlParam } from "./types";
