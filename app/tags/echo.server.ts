import { splitTags, tagKey } from "~/domain/tags/tag-name";
import { forgetRemovedRows, loadLedgerFor, markMerchantRemoved } from "~/models/tag-ledger.server";

export interface TagEcho {
  customerId: string;
  /** Tags reported added (customer.tags_added) or found new against the previous tags. */
  added?: readonly string[];
  /** Tags reported removed (customer.tags_removed). */
  removed?: readonly string[];
  /** The customer's full tag list after the change (customers/update), if known. */
  currentTags?: string | readonly string[];
  /** The customer's tags before the change as the app knew them, if known. */
  previousTags?: string | readonly string[];
  /** When Shopify says the change happened (occurredAt / updated_at). */
  occurredAt: Date;
}

export interface TagEchoResult {
  /** Every tag change in the event is the app's own write coming back: nothing else to do. */
  appTagsOnly: boolean;
  /** App tags the merchant removed by hand, now recorded as merchant-removed. */
  merchantRemoved: string[];
  /** Tags the app had removed that the merchant added back: now the merchant's (out of the ledger). */
  merchantReadded: number;
}

/**
 * Echo guard for customer.tags_added / customer.tags_removed / customers/update. The app's own
 * writes come back here; they change nothing (the ledger already says applied / removed), and
 * `appTagsOnly` tells the caller it need not recompute memberships. An app tag that disappears
 * after the app applied it was removed by the merchant: it is recorded as merchant-removed and
 * not re-added until the customer enters the segment anew. A tag the app removed that the merchant
 * adds back by hand becomes the merchant's: the app will not remove it later.
 */
export async function recordTagEcho(
  shop: string,
  echo: TagEcho,
  now = new Date(),
): Promise<TagEchoResult> {
  const ledger = (await loadLedgerFor(shop, [echo.customerId])).filter(
    (entry) => entry.customerId === echo.customerId,
  );
  const byKey = new Map(ledger.map((entry) => [tagKey(entry.tag), entry]));
  const current = echo.currentTags === undefined ? null : splitTags(echo.currentTags);
  const previous = echo.previousTags === undefined ? null : splitTags(echo.previousTags);
  const currentKeys = current && new Set(current.map(tagKey));
  const previousKeys = previous && new Set(previous.map(tagKey));

  const added = [...(echo.added ?? [])];
  const removed = [...(echo.removed ?? [])];
  if (current && previous) {
    added.push(...current.filter((tag) => !previousKeys!.has(tagKey(tag))));
    removed.push(...previous.filter((tag) => !currentKeys!.has(tagKey(tag))));
  }

  // Applied app tags missing from the event's tags: candidates for a merchant removal. The ledger
  // update only takes rows applied before the event happened, so stale events change nothing.
  const gone = new Set(removed.map(tagKey));
  if (currentKeys)
    for (const entry of ledger)
      if (entry.state === "applied" && !currentKeys.has(tagKey(entry.tag)))
        gone.add(tagKey(entry.tag));
  const candidates = ledger.filter(
    (entry) => entry.state === "applied" && gone.has(tagKey(entry.tag)),
  );
  let merchantRemoved: string[] = [];
  if (candidates.length) {
    const tags = candidates.map((entry) => entry.tag);
    const count = await markMerchantRemoved(shop, echo.customerId, tags, echo.occurredAt, now);
    if (count > 0) {
      const after = await loadLedgerFor(shop, [echo.customerId]);
      merchantRemoved = after
        .filter(
          (e) =>
            e.customerId === echo.customerId &&
            e.state === "merchant-removed" &&
            tags.includes(e.tag),
        )
        .map((e) => e.tag);
    }
  }

  // A tag the app removed earlier that shows up again afterwards was added back by the merchant.
  const present = new Set([...added.map(tagKey), ...(currentKeys ?? [])]);
  const readded = ledger.filter(
    (entry) => entry.state === "removed" && present.has(tagKey(entry.tag)),
  );
  const merchantReadded = readded.length
    ? await forgetRemovedRows(
        shop,
        echo.customerId,
        readded.map((entry) => entry.tag),
        echo.occurredAt,
      )
    : 0;

  const ownAdd = (tag: string) =>
    ["pending-add", "applied"].includes(byKey.get(tagKey(tag))?.state ?? "");
  const ownRemove = (tag: string) =>
    ["pending-remove", "removed"].includes(byKey.get(tagKey(tag))?.state ?? "");
  const appTagsOnly =
    merchantRemoved.length === 0 &&
    merchantReadded === 0 &&
    added.every(ownAdd) &&
    removed.every(ownRemove);
  return { appTagsOnly, merchantRemoved, merchantReadded };
}
