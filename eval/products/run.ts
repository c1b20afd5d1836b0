import { loadMovieLens } from "../movielens/data";
import { evaluateProducts } from "./evaluate";
import type { ProductsReport } from "./report";
import { stratifiedSplit, TRAIN_SHARE } from "./split";

/** The products scenario on MovieLens 100K, in memory: ratings as interactions, the item engine's own code. */
export function runProductsEval(seed: number): ProductsReport {
  const split = stratifiedSplit(loadMovieLens(), seed);
  return {
    generatedAt: new Date().toISOString(),
    dataset: "ml-100k",
    seed,
    split: `${Math.round(TRAIN_SHARE * 100)}/${Math.round((1 - TRAIN_SHARE) * 100)}`,
    binary: evaluateProducts(split, "binary"),
    rating: evaluateProducts(split, "rating"),
  };
}
