/**
 * The seam between sync and segmentation: sync reports which customers' data changed (orders,
 * customer fields) and segmentation recomputes them. Listeners run in order and are awaited, so a
 * processed webhook leaves memberships current.
 */
export type CustomersChangedListener = (shop: string, customerIds: string[]) => Promise<void>;

const listeners: CustomersChangedListener[] = [];

export function onCustomersChanged(listener: CustomersChangedListener) {
  listeners.push(listener);
}

export async function notifyCustomersChanged(shop: string, customerIds: Iterable<string>) {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  for (const listener of listeners) await listener(shop, ids);
}
