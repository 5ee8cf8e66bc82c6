// The merchant's per-product upsell overrides: pins first, exclusions never (PRODUCT.md §6).

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
