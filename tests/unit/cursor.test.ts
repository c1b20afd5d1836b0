import { describe, expect, it } from "vitest";
import { candidatesQuery } from "../../api/discovery";
import { decodeCursor, encodeCursor, readCursor } from "../../lib/http/cursor";

describe("the cursor codec (shared by server and browser)", () => {
  it("writes what Node's base64url wrote, so cursors issued before stay valid", () => {
    for (const value of [{ o: 50 }, ["2026-11-25 10:00:00.123456+00", "imdb:tt0083658"], { t: "Amélie ✓ 🎬" }]) {
      const cursor = encodeCursor(value);
      expect(cursor).toBe(Buffer.from(JSON.stringify(value)).toString("base64url"));
      expect(decodeCursor(cursor)).toEqual(value);
    }
  });

  it("refuses what it did not write", () => {
    for (const junk of ["!!!", "a", "eyJv", "%00", Buffer.from([0xff, 0xfe]).toString("base64url")]) {
      expect(readCursor(junk)).toBeUndefined();
    }
  });

  it("reads a candidates cursor as the offset, and refuses others as invalid input", () => {
    expect(candidatesQuery.parse({ cursor: encodeCursor({ o: 40 }) }).cursor).toBe(40);
    for (const cursor of [encodeCursor({ o: -1 }), encodeCursor({ o: 10_001 }), encodeCursor([]), "!!!"]) {
      expect(candidatesQuery.safeParse({ cursor }).success).toBe(false);
    }
  });
});
