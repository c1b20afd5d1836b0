import { describe, expect, it } from "vitest";
import { localId, toIsbn13 } from "../../lib/media/ids";
import { normalizeTitle, titleParts } from "../../lib/media/normalize";

describe("title normalisation", () => {
  it("reduces accents, punctuation and '&' so spelling variants meet", () => {
    expect(normalizeTitle("Amélie")).toBe(normalizeTitle("Amelie"));
    expect(normalizeTitle("Utøya: July 22")).toBe("utoya july 22");
    expect(normalizeTitle("Red, White & Royal Blue")).toBe("red white and royal blue");
    expect(normalizeTitle("千と千尋の神隠し")).toBe("千と千尋の神隠し");
  });

  it("strips cuts and editions but not titles that merely contain the words", () => {
    expect(titleParts("Blade Runner – The Final Cut")).toMatchObject({ display: "Blade Runner", edition: true });
    expect(titleParts("Blade Runner (Director's Cut)")).toMatchObject({ display: "Blade Runner", edition: true });
    expect(titleParts("Blade Runner 2049")).toMatchObject({ display: "Blade Runner 2049", edition: false });
    expect(titleParts("The Final Cut")).toMatchObject({ display: "The Final Cut", edition: false });
  });

  it("drops Goodreads series suffixes and keeps bracketed transliterations as aliases", () => {
    expect(titleParts("Dune (Dune, #1)").norm).toBe("dune");
    expect(titleParts("The Hunger Games (The Hunger Games, #1)").display).toBe("The Hunger Games");
    const parts = titleParts("ノルウェイの森 [Noruwei no Mori]");
    expect(parts.display).toBe("ノルウェイの森");
    expect(parts.aliases).toContain("noruwei no mori");
  });
});

describe("canonical ids", () => {
  it("converts Excel-protected ISBN-10s to ISBN-13 and rejects bad check digits", () => {
    expect(toIsbn13('="0439023483"')).toBe("9780439023481");
    expect(toIsbn13('="059309932X"')).toBe("9780593099322");
    expect(toIsbn13("978-0-439-02348-1")).toBe("9780439023481");
    expect(toIsbn13('=""')).toBeNull();
    expect(toIsbn13("0439023484")).toBeNull();
  });

  it("gives a stable local id per type, title and year", async () => {
    const a = localId("film", "heat", 1995);
    expect(a).toMatch(/^local:film:[0-9a-f]{16}$/);
    expect(localId("film", "heat", 1995)).toBe(a);
    expect(localId("film", "heat", 1986)).not.toBe(a);
  });
});
