import pgvector from "pgvector";

/** A pgvector value as a query parameter: pass the result as `$n::vector`. */
export function toVectorParam(values: ArrayLike<number>): string {
  return pgvector.toSql(Array.from(values)) as string;
}

/** Parses a `vector` column as both drivers return it (the text form `[1,2,3]`). */
export function fromVectorColumn(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value !== "string") throw new TypeError(`not a vector value: ${typeof value}`);
  return pgvector.fromSql(value) as number[];
}
