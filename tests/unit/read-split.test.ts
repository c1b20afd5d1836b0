import { describe, expect, it } from "vitest";
import { isReadOnlyStatement } from "../../lib/db/read-split";

describe("which statements a read replica may run", () => {
  it("sends plain reads to the replica and anything that writes, locks or sets to the primary", () => {
    expect(isReadOnlyStatement("SELECT locale FROM profiles WHERE user_id = $1")).toBe(true);
    expect(isReadOnlyStatement("  with s as (select 1) select * from s, blocks b WHERE b.updated_at > now()")).toBe(
      true,
    );
    for (const write of [
      "WITH s AS (SELECT 1) INSERT INTO events SELECT * FROM s",
      "WITH a AS (DELETE FROM slate_cache WHERE viewer_id = $1 RETURNING 1) SELECT count(*) FROM a",
      "SELECT * FROM jobs FOR UPDATE SKIP LOCKED",
      "SELECT set_config('synchronous_commit', 'off', true)",
      "SELECT nextval('events_row_id_seq')",
      "UPDATE profiles SET locale = 'es'",
      "LOCK TABLE slate_cache",
    ])
      expect(isReadOnlyStatement(write), write).toBe(false);
  });
});
