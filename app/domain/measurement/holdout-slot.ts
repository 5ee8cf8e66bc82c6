import { createHash } from "node:crypto";
import { HOLDOUT_SLOTS, onArc, type Holdout } from "./holdout";

/**
 * A customer's holdout slot, computed exactly as the storefront computes it
 * (extensions/persegment-storefront/snippets/persegment-holdout-slot.liquid): the first six hex
 * digits of SHA-256("persegment-holdout:" + customer id), read as a number, modulo 100.
 *
 * Why this is uniform enough: SHA-256 output is indistinguishable from random bits for distinct
 * inputs, whatever the pattern of the ids (consecutive, strided, one shop's ids interleaved with
 * other shops'). Six hex digits are 2^24 values; 2^24 mod 100 = 16, so slots 0–15 get 167,773
 * values and the others 167,772: a bias of 6 in a million. The prefix keeps the slots independent
 * of any other tool that hashes bare customer ids. Liquid only needs `sha256`, `slice`, `split`,
 * `times`, `plus` and `modulo` on numbers below 2^24, exact in Ruby and in JavaScript.
 */

export const HOLDOUT_KEY_PREFIX = "persegment-holdout:";

const CUSTOMER_ID = /^[1-9]\d{0,19}$/;

/** The customer's slot, 0–99, from Shopify's numeric id or the customer's GID. */
export function holdoutSlot(customerId: string | number): number {
  const id = String(customerId).replace(/^gid:\/\/shopify\/Customer\//, "");
  if (!CUSTOMER_ID.test(id)) throw new Error(`not a Shopify customer id: ${JSON.stringify(id)}`);
  const digest = createHash("sha256").update(`${HOLDOUT_KEY_PREFIX}${id}`).digest("hex");
  return parseInt(digest.slice(0, 6), 16) % HOLDOUT_SLOTS;
}

/** Whether this customer is held out of a bar with this holdout. Guests (null) never are. */
export function isHeldOut(customerId: string | number | null, holdout: Holdout): boolean {
  return customerId !== null && onArc(holdoutSlot(customerId), holdout);
}

/** The customers of a bar's audience in its two groups, as the storefront assigned them. */
export function holdoutGroups<Id extends string | number>(
  customerIds: Iterable<Id>,
  holdout: Holdout,
): { shown: Id[]; heldOut: Id[] } {
  const groups = { shown: [] as Id[], heldOut: [] as Id[] };
  for (const id of customerIds) (isHeldOut(id, holdout) ? groups.heldOut : groups.shown).push(id);
  return groups;
}
