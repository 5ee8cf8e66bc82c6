/**
 * Deliveries are processed in the order their events happened, not the order they arrived:
 * Shopify sends them concurrently, and a customers/create that arrived after the customers/update
 * of the same second overwrote it (updated_at has whole seconds). On a tie, a create comes first;
 * otherwise they stay as claimed (in order of receipt, the order of storing within a millisecond).
 */
export interface TimedDelivery {
  webhookId: string;
  topic: string;
  triggeredAt: Date | null;
  receivedAt: Date;
}

const eventTime = (delivery: TimedDelivery) =>
  (delivery.triggeredAt ?? delivery.receivedAt).getTime();

const isCreate = (delivery: TimedDelivery) => Number(delivery.topic.endsWith("/create"));

/** `deliveries` sorted in event order; `claimed` lists their ids in the order they were claimed. */
export function inEventOrder<T extends TimedDelivery>(deliveries: T[], claimed: string[]): T[] {
  const position = new Map(claimed.map((webhookId, index) => [webhookId, index]));
  return [...deliveries].sort(
    (a, b) =>
      eventTime(a) - eventTime(b) ||
      isCreate(b) - isCreate(a) ||
      position.get(a.webhookId)! - position.get(b.webhookId)!,
  );
}
