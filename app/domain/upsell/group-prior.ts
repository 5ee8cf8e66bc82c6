/**
 * What products of a type or collection are bought with, for the recommender's prior: per group,
 * the weight of its products' orders and, sparsely (sorted product indexes and their weights),
 * of each product bought with them. Counted once per recompute from the co-purchase rows, a group
 * at a time (`countGroup`), so a caller can let other work run between groups.
 */
import { CoPurchaseRow, type Catalog, type Counts } from "./co-occurrence";

interface GroupRow {
  orders: number;
  products: Int32Array;
  weights: Float64Array;
}

const EMPTY: GroupRow = { orders: 0, products: new Int32Array(0), weights: new Float64Array(0) };

export class GroupPrior {
  /** By product index: the indexes of its groups. */
  readonly groupsOf: number[][];
  /** By group: its products, best sellers first (for fills). */
  readonly members: number[][];
  private readonly rows: GroupRow[];
  private readonly row: CoPurchaseRow;
  private readonly sum: Float64Array;

  constructor(
    private readonly counts: Counts,
    catalog: Catalog,
    sellers: readonly number[],
  ) {
    const indexes = new Map<string, number>();
    this.groupsOf = counts.log.ids.map((id) =>
      (catalog.get(id)?.groups ?? []).map((group) => {
        let index = indexes.get(group);
        if (index === undefined) indexes.set(group, (index = indexes.size));
        return index;
      }),
    );
    this.members = Array.from({ length: indexes.size }, () => []);
    for (const product of sellers)
      for (const group of this.groupsOf[product]) this.members[group].push(product);
    this.row = new CoPurchaseRow(counts);
    this.sum = new Float64Array(counts.orders.length);
    this.rows = this.members.map(() => EMPTY);
  }

  get size() {
    return this.members.length;
  }

  countGroup(group: number) {
    const { counts, row, sum } = this;
    const touched = new Set<number>();
    let orders = 0;
    for (const product of this.members[group]) {
      orders += counts.occurrences[product];
      for (const other of row.of(product)) {
        touched.add(other);
        sum[other] += row.weight[other];
      }
    }
    const products = Int32Array.from(touched).sort();
    const weights = Float64Array.from(products, (product) => sum[product]);
    for (const product of products) sum[product] = 0;
    this.rows[group] = { orders, products, weights };
  }

  /** Weight of the orders of the product's groups. */
  orders(product: number) {
    return this.groupsOf[product].reduce((total, group) => total + this.rows[group].orders, 0);
  }

  /** Weight of `other` bought with the product's groups. */
  together(product: number, other: number) {
    let total = 0;
    for (const group of this.groupsOf[product]) {
      const { products, weights } = this.rows[group];
      let low = 0;
      let high = products.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (products[middle] === other) {
          total += weights[middle];
          break;
        }
        if (products[middle] < other) low = middle + 1;
        else high = middle - 1;
      }
    }
    return total;
  }
}
