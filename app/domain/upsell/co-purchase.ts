/**
 * "Bought X, also bought Y" from order baskets (PRODUCT.md §6). For a pair X→Y:
 * - support: orders containing both (a plain count; pairs below the minimum are noise),
 * - confidence: weighted share of X's orders that also hold Y,
 * - lift: confidence divided by Y's weighted share of all orders (> 1: bought together more than
 *   chance; it keeps best-sellers from being recommended with everything).
 * Each order weighs 0.5^(age / half-life), so recent buying habits count more.
 */

export interface Basket {
  processedAt: Date;
  productIds: string[];
}

export interface CoPurchaseOptions {
  now: Date;
  minSupport: number;
  minLift: number;
  halfLifeDays: number;
  perProduct: number;
  /** Orders with more distinct products add no pairs: they are bulk or wholesale buys. */
  maxBasketSize: number;
  /** Never recommended and never counted (e.g. archived products, gift cards). */
  excluded: ReadonlySet<string>;
}

export const DEFAULT_CO_PURCHASE_OPTIONS: Omit<CoPurchaseOptions, "now" | "excluded"> = {
  minSupport: 2,
  minLift: 1,
  halfLifeDays: 180,
  perProduct: 8,
  maxBasketSize: 30,
};

export interface CoPurchasePick {
  productId: string;
  recommendedId: string;
  rank: number;
  support: number;
  confidence: number;
  lift: number;
}

const DAY_MS = 86_400_000;

export function coPurchasePicks(baskets: Basket[], options: CoPurchaseOptions): CoPurchasePick[] {
  const productWeight = new Map<string, number>();
  const pairs = new Map<string, { support: number; weight: number }>();
  let totalWeight = 0;

  for (const basket of baskets) {
    const products = [...new Set(basket.productIds)].filter((id) => !options.excluded.has(id));
    if (products.length === 0 || products.length > options.maxBasketSize) continue;
    const ageDays = Math.max(0, (options.now.getTime() - basket.processedAt.getTime()) / DAY_MS);
    const weight = 0.5 ** (ageDays / options.halfLifeDays);
    totalWeight += weight;
    for (const product of products)
      productWeight.set(product, (productWeight.get(product) ?? 0) + weight);
    for (const from of products)
      for (const to of products) {
        if (from === to) continue;
        const key = `${from}\n${to}`;
        const pair = pairs.get(key) ?? { support: 0, weight: 0 };
        pair.support += 1;
        pair.weight += weight;
        pairs.set(key, pair);
      }
  }

  const byProduct = new Map<string, Omit<CoPurchasePick, "rank">[]>();
  for (const [key, pair] of pairs) {
    if (pair.support < options.minSupport) continue;
    const [productId, recommendedId] = key.split("\n");
    const confidence = pair.weight / productWeight.get(productId)!;
    const lift = confidence / (productWeight.get(recommendedId)! / totalWeight);
    if (lift < options.minLift) continue;
    const list = byProduct.get(productId) ?? [];
    list.push({ productId, recommendedId, support: pair.support, confidence, lift });
    byProduct.set(productId, list);
  }

  const picks: CoPurchasePick[] = [];
  for (const productId of [...byProduct.keys()].sort()) {
    const ranked = byProduct
      .get(productId)!
      .sort(
        (a, b) =>
          b.confidence - a.confidence ||
          b.lift - a.lift ||
          b.support - a.support ||
          a.recommendedId.localeCompare(b.recommendedId),
      )
      .slice(0, options.perProduct);
    ranked.forEach((pick, index) => picks.push({ ...pick, rank: index + 1 }));
  }
  return picks;
}

export interface UpsellOverrides {
  pinned: string[];
  excluded: string[];
}

/**
 * What the storefront gets for one product: the merchant's pins in their order, then computed
 * picks the merchant did not exclude, without the product itself or repeats.
 */
export function mergeUpsells(
  productId: string,
  computed: string[],
  overrides: UpsellOverrides | undefined,
  limit: number,
): string[] {
  const excluded = new Set([productId, ...(overrides?.excluded ?? [])]);
  const merged: string[] = [];
  for (const id of [...(overrides?.pinned ?? []), ...computed]) {
    if (merged.length >= limit) break;
    if (excluded.has(id) || merged.includes(id)) continue;
    merged.push(id);
  }
  return merged;
}

export const MAX_PINNED = 8;

/**
 * Checks a merchant's overrides for one product: known product ids only, pins must be active
 * products, not the product itself, no product both pinned and excluded.
 */
export function validateOverrides(
  productId: string,
  overrides: UpsellOverrides,
  products: ReadonlyMap<string, { status: string }>,
): { ok: true; value: UpsellOverrides } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const pinned = [...new Set(overrides.pinned)];
  const excluded = [...new Set(overrides.excluded)];
  if (pinned.length > MAX_PINNED) errors.pinned = `Pin at most ${MAX_PINNED} products`;
  for (const id of pinned) {
    const product = products.get(id);
    if (id === productId) errors.pinned = "A product cannot be recommended with itself";
    else if (!product) errors.pinned = `Unknown product ${id}`;
    else if (product.status !== "ACTIVE")
      errors.pinned = `${id} is not active, shoppers could not open it`;
  }
  for (const id of excluded) if (!products.has(id)) errors.excluded = `Unknown product ${id}`;
  const both = pinned.filter((id) => excluded.includes(id));
  if (both.length) errors.excluded = "A product cannot be both pinned and excluded";
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, value: { pinned, excluded } };
}
