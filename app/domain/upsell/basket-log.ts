/**
 * Order baskets held compactly: product ids interned to small integers, every basket's distinct
 * products in one growing Int32Array, its time in a Float64Array. 60,000 orders take about a
 * megabyte instead of an object and an array of strings each, so a recompute can read the orders
 * page by page into one log and every pass over it (add-ons, counting, evaluation) stays cheap.
 */

/** An order as the recommender reads it: when it was processed and the products on its lines. */
export interface Basket {
  processedAt: Date;
  productIds: string[];
}

export class BasketLog {
  /** Product index → id. */
  readonly ids: string[] = [];
  private readonly indexes = new Map<string, number>();
  private times = new Float64Array(1024);
  /** Basket b's products are products[starts[b]] … products[starts[b + 1] - 1]. */
  private starts = new Int32Array(1025);
  private products = new Int32Array(4096);
  private count = 0;
  private byProduct: { starts: Int32Array; baskets: Int32Array } | null = null;

  static of(baskets: readonly Basket[]): BasketLog {
    const log = new BasketLog();
    for (const basket of baskets) log.add(basket.processedAt.getTime(), basket.productIds);
    return log;
  }

  get size() {
    return this.count;
  }

  /** The product's index, interning ids the log has not seen (catalogue products never sold). */
  intern(id: string): number {
    let index = this.indexes.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.indexes.set(id, index);
      this.ids.push(id);
    }
    return index;
  }

  indexOf(id: string): number | undefined {
    return this.indexes.get(id);
  }

  /** Adds an order: its processing time (ms) and the products on its lines (repeats counted once). */
  add(processedAtMs: number, productIds: Iterable<string>) {
    const products: number[] = [];
    for (const id of productIds) {
      const product = this.intern(id);
      if (!products.includes(product)) products.push(product);
    }
    this.addIndexes(processedAtMs, products);
  }

  time(basket: number) {
    return this.times[basket];
  }

  /** The basket's distinct products (a view: copy it to keep it). */
  basket(basket: number): Int32Array {
    return this.products.subarray(this.starts[basket], this.starts[basket + 1]);
  }

  /** The baskets holding the product, built once for all products (an inverted index). */
  basketsOf(product: number): Int32Array {
    if (!this.byProduct) this.byProduct = this.invert();
    const { starts, baskets } = this.byProduct;
    if (product + 1 >= starts.length) return new Int32Array(0);
    return baskets.subarray(starts[product], starts[product + 1]);
  }

  /** The baskets `keep` accepts, in a log sharing this one's product indexes. */
  filter(keep: (time: number) => boolean): BasketLog {
    const log = new BasketLog();
    for (const id of this.ids) log.intern(id);
    for (let b = 0; b < this.count; b++)
      if (keep(this.times[b])) log.addIndexes(this.times[b], this.basket(b));
    return log;
  }

  private addIndexes(time: number, products: ArrayLike<number>) {
    if (this.count + 1 >= this.times.length) {
      this.times = grow(this.times, this.times.length * 2);
      this.starts = grow(this.starts, this.starts.length * 2);
    }
    const start = this.starts[this.count];
    const end = start + products.length;
    if (end > this.products.length)
      this.products = grow(this.products, Math.max(end, this.products.length * 2));
    this.products.set(products, start);
    this.times[this.count] = time;
    this.starts[++this.count] = end;
    this.byProduct = null;
  }

  private invert() {
    const products = this.ids.length;
    const starts = new Int32Array(products + 1);
    const lines = this.starts[this.count];
    for (let i = 0; i < lines; i++) starts[this.products[i] + 1] += 1;
    for (let p = 0; p < products; p++) starts[p + 1] += starts[p];
    const next = starts.slice(0, products);
    const baskets = new Int32Array(lines);
    for (let b = 0; b < this.count; b++)
      for (let i = this.starts[b]; i < this.starts[b + 1]; i++)
        baskets[next[this.products[i]]++] = b;
    return { starts, baskets };
  }
}

function grow<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const grown = new (array.constructor as new (length: number) => T)(length);
  grown.set(array);
  return grown;
}
