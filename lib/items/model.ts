import { algorithmFor, EASE_LAMBDA, NEIGHBOURS_PER_ITEM, type ItemAlgorithm } from "./config";
import { easeNeighbours } from "./ease";
import { interactionMatrix, type Interaction, type InteractionMatrix } from "./interactions";
import { itemKnnNeighbours } from "./item-knn";
import type { ItemNeighbours } from "./neighbours";

export interface FittedItemModel {
  algorithm: ItemAlgorithm;
  matrix: InteractionMatrix;
  neighbours: ItemNeighbours;
}

export interface FitOptions {
  /** Force a model (the eval compares both); by catalogue size otherwise. */
  algorithm?: ItemAlgorithm;
  lambda?: number;
  neighboursPerItem?: number;
}

/** Fits the item model the catalogue's size calls for over weighted interactions. */
export function fitItemModel(interactions: Iterable<Interaction>, options: FitOptions = {}): FittedItemModel {
  const matrix = interactionMatrix(interactions);
  const algorithm = options.algorithm ?? algorithmFor(matrix.items.length);
  const k = options.neighboursPerItem ?? NEIGHBOURS_PER_ITEM;
  const neighbours =
    algorithm === "ease" ? easeNeighbours(matrix, options.lambda ?? EASE_LAMBDA, k) : itemKnnNeighbours(matrix, k);
  return { algorithm, matrix, neighbours };
}
