// Which of two copies of one Shopify record is newer. Shopify's updated_at has one-second
// precision, so two edits in the same second tie on it; the tie is broken by when Shopify saw the
// content as current: a webhook's X-Shopify-Triggered-At (milliseconds and finer), a bulk export's
// start (its rows are at least as new as that). A copy read without such a time (an older row, a
// paged read) cannot break a tie and is taken as newer, as before.

export interface RecordVersion {
  /** Shopify's updatedAt of the content. */
  updatedAt: Date;
  /** When Shopify's record was known to have this content, if known. */
  observedAt: Date | null;
}

/**
 * When a webhook's content was current, for the tie-break: its X-Shopify-Triggered-At, except that
 * a create is its record's first version and ranks just before any other event of the same
 * instant. Live traffic makes a customer and their first order in the same millisecond; when the
 * customers/create is processed after that order's customers/update (another batch), it must not
 * put the customer back to no orders.
 */
export function webhookObservedAt(topic: string, triggeredAt: Date | null): Date | null {
  if (!triggeredAt) return null;
  return topic.endsWith("/create") ? new Date(triggeredAt.getTime() - 1) : triggeredAt;
}

/** Whether `incoming` may replace `stored` (replays of the same version may: idempotent). */
export function replacesStored(incoming: RecordVersion, stored: RecordVersion): boolean {
  const updated = incoming.updatedAt.getTime() - stored.updatedAt.getTime();
  if (updated !== 0) return updated > 0;
  if (!incoming.observedAt || !stored.observedAt) return true;
  return incoming.observedAt.getTime() >= stored.observedAt.getTime();
}
