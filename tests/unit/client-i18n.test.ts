import { describe, expect, it } from "vitest";
import { describeCategory } from "../../app/i18n/categories";
import { translate } from "../../app/i18n/messages";
import { twinCaption } from "../../lib/discovery/share-card";
import { privacyCategories } from "../../lib/privacy/categories";

describe("page strings and the share card caption", () => {
  it("fills placeholders in both languages", () => {
    expect(translate("en", "favorites.added", { title: "Drive" })).toBe("Added Drive");
    expect(translate("es", "favorites.added", { title: "Drive" })).toBe("Añadido: Drive");
  });

  it("describes every privacy category in Spanish too, with when a change takes effect", () => {
    for (const c of privacyCategories) {
      expect(describeCategory(c, "es").holds).not.toBe(describeCategory(c, "en").holds);
      expect(describeCategory(c, "es").whenOff).toMatch(/instante|minutos/);
    }
  });

  it("names the twin by first name and what both love, most specific first", () => {
    expect(
      twinCaption({
        displayName: "Alex Rivera",
        reasons: [{ kind: "similar_taste" }, { kind: "shared_trait", trait: "mid-2000s synth-pop" }],
        sharedTitles: ["Drive"],
      }),
    ).toEqual({ headline: "Your cultural twin is Alex", because: "because you both love mid-2000s synth-pop" });
    expect(twinCaption({ displayName: "Sam", reasons: [], sharedTitles: ["Drive"] }).because).toBe(
      "because you both love Drive",
    );
    expect(twinCaption(null).headline).toMatch(/out there/);
  });
});
