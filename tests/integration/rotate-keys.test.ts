import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { tokenContext } from "../../lib/connectors/spotify/oauth";
import { open, parseKeyRing, seal, sealedKeyId } from "../../lib/crypto/secret-box";
import { rotateSealedSecrets } from "../../lib/privacy/rotate-keys";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

describeEachDriver("key rotation", (ctx) => {
  it("re-seals every token with the new active key; the old key can then be dropped", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    const oldRing = parseKeyRing(`k1:${k1}`);
    const users = [await createUser(ctx.db), await createUser(ctx.db)];
    for (const u of users) {
      await ctx.db.query(
        "INSERT INTO connector_accounts (user_id, service, tokens_encrypted) VALUES ($1, 'spotify', $2)",
        [u, await seal(oldRing, `tokens-of-${u}`, tokenContext(u))],
      );
    }
    const rotated = parseKeyRing(`k2:${k2},k1:${k1}`);
    const progress: number[] = [];
    expect(await rotateSealedSecrets(ctx.db, rotated, (d) => progress.push(d))).toEqual({
      resealed: 2,
      alreadyCurrent: 0,
    });
    expect(progress.at(-1)).toBe(2);
    const onlyNew = parseKeyRing(`k2:${k2}`);
    for (const u of users) {
      const [row] = await ctx.db.query<{ tokens_encrypted: string }>(
        "SELECT tokens_encrypted FROM connector_accounts WHERE user_id = $1",
        [u],
      );
      expect(sealedKeyId(row.tokens_encrypted)).toBe("k2");
      expect(await open(onlyNew, row.tokens_encrypted, tokenContext(u))).toBe(`tokens-of-${u}`);
    }
    expect(await rotateSealedSecrets(ctx.db, rotated)).toEqual({ resealed: 0, alreadyCurrent: 2 });
  });
});
