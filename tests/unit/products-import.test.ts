import { describe, expect, it } from "vitest";
import { parseProductFile, ProductFileError } from "../../lib/products/import-file";

describe("catalogue files", () => {
  it("reads CSV with a category path and JSON lines alike", () => {
    const csv =
      'id,title,category,price,available,attributes\nk1,Knife,Home > Kitchen,39.50,yes,"{""steel"":""VG10""}"\nk2,Pan,Home/Kitchen,,false,\n';
    expect(parseProductFile(csv, "csv")).toEqual([
      {
        id: "k1",
        title: "Knife",
        category: ["Home", "Kitchen"],
        price: 39.5,
        available: true,
        attributes: { steel: "VG10" },
      },
      { id: "k2", title: "Pan", category: ["Home", "Kitchen"], price: null, available: false, attributes: {} },
    ]);
    expect(
      parseProductFile('{"id":"k1","title":"Knife"}\n\n{"id":"k2","title":"Pan","price":3}\n', "jsonl"),
    ).toHaveLength(2);
  });

  it("names the first bad line and field", () => {
    expect(() => parseProductFile('{"id":"k1","title":"Knife"}\n\n{"id":"k2"}\n', "jsonl")).toThrow(/line 3: title/);
    expect(() => parseProductFile("id,title,price\nk1,Knife,-2\n", "csv")).toThrow(ProductFileError);
  });
});
