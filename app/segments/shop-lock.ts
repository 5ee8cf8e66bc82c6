/**
 * One segment computation per shop at a time in this process: a full recompute and the
 * incremental recompute of a webhook must not interleave their membership diffs.
 */
const tails = new Map<string, Promise<unknown>>();

export function withShopLock<T>(shop: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(shop) ?? Promise.resolve();
  const next = previous.then(work, work);
  const tail = next.catch(() => undefined);
  tails.set(shop, tail);
  void tail.then(() => {
    if (tails.get(shop) === tail) tails.delete(shop);
  });
  return next;
}
