import type { Db } from "../db/types";
import { upsertProducts, type Product } from "../products/catalogue";
import { Rng } from "../random";
import { COMMUNITIES } from "./communities";

/** Top-level categories, each with four subcategories and the nouns its products are named after. */
const DEPARTMENTS: { name: string; subs: string[]; nouns: string[] }[] = [
  { name: "Books", subs: ["Fiction", "Science", "Comics", "Travel"], nouns: ["Novel", "Guide", "Anthology", "Atlas"] },
  { name: "Music", subs: ["Vinyl", "Headphones", "Instruments", "Speakers"], nouns: ["Record", "Set", "Kit", "Box"] },
  { name: "Home", subs: ["Kitchen", "Lighting", "Textiles", "Decor"], nouns: ["Lamp", "Mug", "Throw", "Vase"] },
  { name: "Outdoors", subs: ["Camping", "Cycling", "Hiking", "Garden"], nouns: ["Tent", "Bottle", "Pack", "Trowel"] },
  { name: "Games", subs: ["Board", "Puzzles", "Cards", "Video"], nouns: ["Game", "Puzzle", "Deck", "Console"] },
  { name: "Art", subs: ["Prints", "Paint", "Sketching", "Frames"], nouns: ["Print", "Palette", "Sketchbook", "Frame"] },
  {
    name: "Film",
    subs: ["Blu-ray", "Posters", "Projectors", "Collectibles"],
    nouns: ["Edition", "Poster", "Lens", "Figure"],
  },
  { name: "Wellness", subs: ["Tea", "Yoga", "Sleep", "Skincare"], nouns: ["Blend", "Mat", "Pillow", "Balm"] },
];
const ADJECTIVES = [
  "Classic",
  "Compact",
  "Deluxe",
  "Everyday",
  "Handmade",
  "Midnight",
  "Nordic",
  "Vintage",
  "Bright",
  "Quiet",
];

/** Products per subcategory: 8 departments x 4 x 75 = 2,400. */
export const PRODUCTS_PER_SUB = 75;

function demoCatalogue(rng: Rng): Product[] {
  const products: Product[] = [];
  DEPARTMENTS.forEach((d, di) =>
    d.subs.forEach((sub, si) => {
      for (let n = 0; n < PRODUCTS_PER_SUB; n++) {
        products.push({
          id: `demo-${di}${si}-${String(n).padStart(3, "0")}`,
          title: `${rng.pick(ADJECTIVES)} ${sub} ${rng.pick(d.nouns)} ${n + 1}`,
          category: [d.name, sub],
          price: Math.round((5 + rng.next() ** 2 * 195) * 100) / 100,
          available: !rng.chance(0.03),
          attributes: {},
        });
      }
    }),
  );
  return products;
}

async function writeCatalogue(db: Db, rng: Rng): Promise<Product[]> {
  const products = demoCatalogue(rng);
  await db.transaction((tx) => upsertProducts(tx, products));
  return products;
}

/** Only the demo shop's catalogue (the same products), without anyone's events: for page tests. */
export async function seedDemoCatalogue(db: Db, seed: number): Promise<number> {
  return (await writeCatalogue(db, new Rng(seed + 7))).length;
}

/**
 * A demo shop: the catalogue, and shopping events from the demo people. Each community leans to
 * two departments; a person browses a few products there (skewed to the popular ones), clicks
 * some, puts some in the cart and buys some, and products near each other in a subcategory go
 * together (so "people also liked" has something to find). Returns how many events it wrote.
 */
export async function seedDemoShop(db: Db, seed: number): Promise<{ products: number; events: number }> {
  const rng = new Rng(seed + 7);
  const products = await writeCatalogue(db, rng);
  let events = 0;
  for (const [ci, community] of COMMUNITIES.entries()) {
    const members = await db.query<{ id: string }>(
      `SELECT id::text FROM auth.users WHERE raw_user_meta_data ->> 'demo_community' = $1 ORDER BY id`,
      [community.key],
    );
    const departments = [ci % DEPARTMENTS.length, (ci * 3 + 1) % DEPARTMENTS.length];
    const rows: { user_id: string; kind: string; target_id: string; days: number }[] = [];
    for (const { id } of members) {
      for (let s = 0; s < rng.int(1, 3); s++) {
        const d = rng.pick(departments);
        const sub = rng.int(0, 3);
        const base = Math.floor(PRODUCTS_PER_SUB * rng.next() ** 2);
        const days = rng.next() * 25;
        for (let k = 0; k < rng.int(2, 4); k++) {
          const n = Math.min(PRODUCTS_PER_SUB - 1, base + k);
          const target = `demo-${d}${sub}-${String(n).padStart(3, "0")}`;
          rows.push({ user_id: id, kind: "view", target_id: target, days });
          if (rng.chance(0.5)) rows.push({ user_id: id, kind: "click", target_id: target, days });
          if (rng.chance(0.25)) rows.push({ user_id: id, kind: "add_to_cart", target_id: target, days });
          if (rng.chance(0.12)) rows.push({ user_id: id, kind: "purchase", target_id: target, days: days * 0.99 });
        }
      }
    }
    await db.query(
      `INSERT INTO events (user_id, kind, target_type, target_id, created_at)
       SELECT user_id, kind, 'product', target_id, now() - make_interval(secs => days * 86400)
       FROM jsonb_to_recordset($1::text::jsonb) AS t(user_id uuid, kind text, target_id text, days float8)`,
      [JSON.stringify(rows)],
    );
    events += rows.length;
  }
  return { products: products.length, events };
}
