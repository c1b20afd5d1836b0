import type { Db } from "../../lib/db/types";

// pg_net is not available on the local PostgreSQL 15 nor in PGlite. This stands in for it: the
// same `net.http_get` signature, which (like pg_net) only records the request in the database;
// deliverPgNetRequests then does what pg_net's background worker does after the commit, sending
// each recorded request to a handler (here the app's own route, in-process).

export async function installFakePgNet(db: Db): Promise<void> {
  await db.exec(`
    CREATE SCHEMA IF NOT EXISTS net;
    CREATE TABLE IF NOT EXISTS net.fake_request_queue (
      id bigserial PRIMARY KEY, method text NOT NULL, url text NOT NULL, headers jsonb NOT NULL,
      timeout_milliseconds int NOT NULL, sent boolean NOT NULL DEFAULT false);
    CREATE OR REPLACE FUNCTION net.http_get(url text, params jsonb DEFAULT '{}', headers jsonb DEFAULT '{}',
                                            timeout_milliseconds int DEFAULT 5000) RETURNS bigint
    LANGUAGE sql AS $$
      INSERT INTO net.fake_request_queue (method, url, headers, timeout_milliseconds)
      VALUES ('GET', url, headers, timeout_milliseconds) RETURNING id
    $$;`);
}

export interface DeliveredRequest {
  url: string;
  status: number;
  body: unknown;
}

/** Sends every recorded, unsent request to `handler`, in order; returns what each answered. */
export async function deliverPgNetRequests(
  db: Db,
  handler: (request: Request) => Promise<Response>,
): Promise<DeliveredRequest[]> {
  const rows = await db.query<{ id: number; method: string; url: string; headers: Record<string, string> }>(
    `UPDATE net.fake_request_queue SET sent = true WHERE NOT sent RETURNING id, method, url, headers`,
  );
  const delivered: DeliveredRequest[] = [];
  for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    const res = await handler(new Request(row.url, { method: row.method, headers: row.headers }));
    delivered.push({ url: row.url, status: res.status, body: await res.json() });
  }
  return delivered;
}
