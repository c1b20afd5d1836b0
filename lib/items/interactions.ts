/** One person's weighted interest in one item (summed event weights, or a rating). */
export interface Interaction {
  person: string;
  item: string;
  weight: number;
}

/**
 * Interactions as a sparse person x item matrix, both ways round: rows by person (for scoring a
 * person) and columns by item (for item-item statistics). Items and people are numbered densely.
 */
export interface InteractionMatrix {
  items: string[];
  people: string[];
  itemIndex: Map<string, number>;
  /** Per person: the items they touched and the weights. */
  byPerson: { items: Int32Array; weights: Float64Array }[];
  /** Per item: the people who touched it and the weights. */
  byItem: { people: Int32Array; weights: Float64Array }[];
}

/**
 * Builds the matrix; repeated (person, item) pairs are summed. `items` numbers those items first,
 * in that order, interactions or not: two matrices over the same catalogue share their numbers.
 */
export function interactionMatrix(
  interactions: Iterable<Interaction>,
  items: readonly string[] = [],
): InteractionMatrix {
  const itemIndex = new Map<string, number>(items.map((item, i) => [item, i]));
  const personIndex = new Map<string, number>();
  const rows: Map<number, number>[] = [];
  for (const { person, item, weight } of interactions) {
    if (!(weight > 0)) continue;
    let p = personIndex.get(person);
    if (p === undefined) {
      p = personIndex.size;
      personIndex.set(person, p);
      rows.push(new Map());
    }
    let i = itemIndex.get(item);
    if (i === undefined) {
      i = itemIndex.size;
      itemIndex.set(item, i);
    }
    rows[p].set(i, (rows[p].get(i) ?? 0) + weight);
  }
  const byPerson = rows.map((row) => ({
    items: Int32Array.from(row.keys()),
    weights: Float64Array.from(row.values()),
  }));
  const counts = new Int32Array(itemIndex.size);
  for (const row of byPerson) for (const i of row.items) counts[i]++;
  const byItem = [...counts].map((n) => ({ people: new Int32Array(n), weights: new Float64Array(n) }));
  const fill = new Int32Array(itemIndex.size);
  byPerson.forEach((row, p) => {
    row.items.forEach((i, k) => {
      byItem[i].people[fill[i]] = p;
      byItem[i].weights[fill[i]++] = row.weights[k];
    });
  });
  return { items: [...itemIndex.keys()], people: [...personIndex.keys()], itemIndex, byPerson, byItem };
}
