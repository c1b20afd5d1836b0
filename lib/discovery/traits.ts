import type { Trait } from "./types";

/**
 * Reads descriptors from a cached Traits JSON. The schema belongs to lib/traits (issue #4); this
 * accepts its plausible shapes ({descriptors|traits: [{label|name|descriptor, weight}]}, a bare
 * array, or {label: weight}) so discovery keeps working while that schema settles. Unknown shapes
 * give no traits, never an error.
 */
export function readTraits(json: unknown): Trait[] {
  const list = Array.isArray(json)
    ? json
    : json && typeof json === "object"
      ? (((json as Record<string, unknown>).descriptors ?? (json as Record<string, unknown>).traits) as unknown)
      : null;
  const out: Trait[] = [];
  if (Array.isArray(list)) {
    for (const item of list) {
      if (typeof item === "string") out.push({ label: item, weight: 1 });
      else if (item && typeof item === "object") {
        const o = item as Record<string, unknown>;
        const label = o.label ?? o.name ?? o.descriptor;
        const weight = typeof o.weight === "number" ? o.weight : 1;
        if (typeof label === "string" && label.trim()) out.push({ label: label.trim(), weight });
      }
    }
  } else if (json && typeof json === "object" && !Array.isArray(json) && list === undefined) {
    for (const [label, weight] of Object.entries(json as Record<string, unknown>)) {
      if (typeof weight === "number") out.push({ label, weight });
    }
  }
  return out.filter((t) => t.weight > 0).sort((a, b) => b.weight - a.weight);
}

/** The strongest descriptor: the candidate's taste community for the diversity stage. */
export function topTrait(traits: Trait[]): string | null {
  return traits.length ? traits[0].label : null;
}
