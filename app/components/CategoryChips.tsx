"use client";

import { useLocale } from "./locale";
import { secondaryButtonStyle } from "./styles";

/** A row of category chips with "All" first; the pressed one is bold. */
export function CategoryChips({
  categories,
  selected,
  onSelect,
  testId,
}: {
  categories: string[];
  selected: string | null;
  onSelect: (category: string | null) => void;
  testId: string;
}) {
  const { t } = useLocale();
  if (categories.length === 0) return null;
  return (
    <div role="group" aria-label={t("live.categories")} style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
      {[null, ...categories].map((c) => (
        <button
          key={c ?? "all"}
          type="button"
          data-testid={testId}
          aria-pressed={selected === c}
          onClick={() => onSelect(c)}
          style={{ ...secondaryButtonStyle, fontWeight: selected === c ? 700 : 400 }}
        >
          {c ?? t("live.all")}
        </button>
      ))}
    </div>
  );
}
