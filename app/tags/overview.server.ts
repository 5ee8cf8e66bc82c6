import type { LedgerState } from "~/domain/tags/plan";
import { segmentTag } from "~/domain/tags/tag-name";
import { getShopSettings } from "~/models/shop.server";
import {
  countSubscribedMembers,
  listLedgerEntries,
  listSegmentsForTagging,
  summarizeLedger,
} from "~/models/tag-ledger.server";
import { peopleForRows } from "~/segments/people.server";
import { planShopTags } from "./apply.server";

export interface SegmentTagRow {
  id: string;
  handle: string;
  name: string;
  kind: string;
  members: number;
  tagEnabled: boolean;
  tag: string | null;
  tagError: string | null;
  shopifySegmentId: string | null;
  /** Members subscribed to email marketing: who Shopify Email reaches. */
  subscribed: number | null;
  ledger: Partial<Record<LedgerState, number>>;
  /** What the next write does to this segment's tag: the same plan as the page's totals. */
  nextWrite: { add: number; remove: number };
}

/** Everything the Tags page shows: per segment switch, tag, ledger counts, reach; and a preview. */
export async function tagsOverview(shop: string) {
  const [{ tagPrefix }, segments, summary, { plan, invalidSegments }, merchantRemoved] =
    await Promise.all([
      getShopSettings(shop),
      listSegmentsForTagging(shop),
      summarizeLedger(shop),
      planShopTags(shop),
      listLedgerEntries(shop, { state: "merchant-removed" }, 10),
    ]);
  const tagged = segments.filter((segment) => segment.tagEnabled).map((segment) => segment.id);
  const subscribed = await countSubscribedMembers(shop, tagged);
  // One source for every pending count on the page: the plan the next write carries out.
  const pendingByTag = new Map<string, { add: number; remove: number }>();
  const pendingOf = (tag: string) => {
    const key = tag.toLowerCase();
    const entry = pendingByTag.get(key) ?? { add: 0, remove: 0 };
    pendingByTag.set(key, entry);
    return entry;
  };
  for (const change of plan.changes) {
    for (const tag of change.add) pendingOf(tag).add++;
    for (const tag of change.remove) pendingOf(tag).remove++;
  }
  const rows: SegmentTagRow[] = segments.map((segment) => {
    const tag = segmentTag(tagPrefix, segment.handle);
    const ledger: Partial<Record<LedgerState, number>> = {};
    for (const entry of summary)
      if (entry.segmentId === segment.id)
        ledger[entry.state] = (ledger[entry.state] ?? 0) + entry.count;
    return {
      id: segment.id,
      handle: segment.handle,
      name: segment.name,
      kind: segment.kind,
      members: segment.memberCount,
      tagEnabled: segment.tagEnabled,
      tag: tag.ok ? tag.tag : null,
      tagError: tag.ok ? null : tag.error,
      shopifySegmentId: segment.shopifySegmentId,
      subscribed: subscribed.get(segment.id) ?? null,
      ledger,
      nextWrite: (tag.ok && pendingByTag.get(tag.tag.toLowerCase())) || { add: 0, remove: 0 },
    };
  });
  const sample = plan.changes.slice(0, 10);
  // The customers listed by name, as the segment pages show them (read from Shopify, not stored).
  const { people, namesError } = await peopleForRows(shop, [
    ...sample.map((change) => change.customerId),
    ...merchantRemoved.map((entry) => entry.customerId),
  ]);
  return {
    tagPrefix,
    segments: rows,
    people,
    namesError,
    preview: {
      customers: plan.changes.length,
      adds: plan.changes.reduce((sum, change) => sum + change.add.length, 0),
      removes: plan.changes.reduce((sum, change) => sum + change.remove.length, 0),
      sample,
      merchantOwned: plan.merchantOwned,
      merchantRemovedKept: plan.merchantRemovedKept,
      invalidSegments,
    },
    merchantRemoved: merchantRemoved.map((entry) => ({
      customerId: entry.customerId,
      tag: entry.tag,
      at: entry.updatedAt.toISOString(),
    })),
  };
}
