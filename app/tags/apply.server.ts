import {
  countMutations,
  planTagChanges,
  tagReason,
  type CustomerTagChange,
  type DesiredTag,
  type TagPlan,
} from "~/domain/tags/plan";
import {
  chooseWriteStrategy,
  STANDARD_THROTTLE,
  type ThrottleBudget,
  type WriteStrategy,
} from "~/domain/tags/strategy";
import { segmentTag } from "~/domain/tags/tag-name";
import { getShopSettings } from "~/models/shop.server";
import {
  disableAllTagging,
  loadCustomerTags,
  loadLedgerFor,
  customersWithTagWork,
  loadMembershipsOf,
  loadOpenLedger,
  loadTaggedSegments,
  markWritten,
  settleLedgerRows,
  writeTransitions,
} from "~/models/tag-ledger.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import {
  writeBulk,
  writePaced,
  type BulkOptions,
  type TagWriteFailure,
  type WriteSink,
} from "./writer.server";

export interface InvalidSegmentTag {
  segmentId: string;
  handle: string;
  error: string;
}

export interface ShopTagPlan {
  plan: TagPlan;
  invalidSegments: InvalidSegmentTag[];
}

/** Desired app tags (members of tagged segments) against the ledger: what a run would do. */
export async function planShopTags(shop: string): Promise<ShopTagPlan> {
  const { tagPrefix } = await getShopSettings(shop);
  const segments = await loadTaggedSegments(shop);
  const invalidSegments: InvalidSegmentTag[] = [];
  const tagBySegment = new Map<string, { tag: string; reason: string }>();
  for (const segment of segments) {
    const check = segmentTag(tagPrefix, segment.handle);
    if (!check.ok)
      invalidSegments.push({ segmentId: segment.id, handle: segment.handle, error: check.error });
    else
      tagBySegment.set(segment.id, {
        tag: check.tag,
        reason: tagReason(segment),
      });
  }
  const wanted = [...tagBySegment].map(([segmentId, { tag }]) => ({ segmentId, tag }));
  const customers = await customersWithTagWork(shop, wanted);
  const members = await loadMembershipsOf(shop, [...tagBySegment.keys()], customers);
  const desired: DesiredTag[] = members.map((member) => {
    const { tag, reason } = tagBySegment.get(member.segmentId)!;
    return {
      customerId: member.customerId,
      tag,
      segmentId: member.segmentId,
      reason,
      enteredAt: member.enteredAt,
    };
  });
  // Every ledger row of these customers: open rows decide most pairs, a settled (`removed`) row
  // matters when that tag is wanted again; there is one row per customer and tag.
  const ledger = await loadLedgerFor(shop, customers);
  const ledgerKeys = new Set(
    ledger.filter((e) => e.state !== "removed").map((e) => `${e.customerId}\u0000${e.tag}`),
  );
  const currentTags = await loadCustomerTags(
    shop,
    desired
      .filter((d) => !ledgerKeys.has(`${d.customerId}\u0000${d.tag}`))
      .map((d) => d.customerId),
  );
  return { plan: planTagChanges({ desired, ledger, currentTags }), invalidSegments };
}

export interface TagRunOptions {
  dryRun?: boolean;
  /** Force a strategy; by default chosen from the size of the diff and the throttle budget. */
  strategy?: WriteStrategy;
  budget?: ThrottleBudget;
  concurrency?: number;
  bulk?: BulkOptions;
  now?: () => Date;
}

export interface TagRunReport {
  dryRun: boolean;
  strategy: WriteStrategy;
  customers: number;
  adds: number;
  removes: number;
  mutations: number;
  /** A few planned changes, for the preview. */
  sample: CustomerTagChange[];
  merchantOwned: number;
  merchantRemovedKept: number;
  invalidSegments: InvalidSegmentTag[];
  failures: TagWriteFailure[];
  apiCalls: number;
  throttled: number;
  bulkOperations: { operation: string; status: string; errorCode: string | null }[];
}

const SAMPLE_SIZE = 10;

async function execute(
  gateway: AdminGateway,
  shop: string,
  { plan, invalidSegments }: ShopTagPlan,
  options: TagRunOptions,
): Promise<TagRunReport> {
  const now = options.now ?? (() => new Date());
  const mutations = countMutations(plan.changes);
  const strategy =
    options.strategy ??
    chooseWriteStrategy(
      mutations,
      options.budget ?? {
        currentlyAvailable: STANDARD_THROTTLE.maximumAvailable,
        restoreRate: STANDARD_THROTTLE.restoreRate,
      },
    );
  const before = gateway.stats();
  const report: TagRunReport = {
    dryRun: options.dryRun ?? false,
    strategy,
    customers: plan.changes.length,
    adds: plan.changes.reduce((sum, c) => sum + c.add.length, 0),
    removes: plan.changes.reduce((sum, c) => sum + c.remove.length, 0),
    mutations,
    sample: plan.changes.slice(0, SAMPLE_SIZE),
    merchantOwned: plan.merchantOwned,
    merchantRemovedKept: plan.merchantRemovedKept,
    invalidSegments,
    failures: [],
    apiCalls: 0,
    throttled: 0,
    bulkOperations: [],
  };
  if (report.dryRun) return report;

  // Intent first: if the run stops after this, the next run finds these rows pending.
  await writeTransitions(shop, plan.transitions, now());
  const sink: WriteSink = { written: (batch) => markWritten(shop, batch, now()) };
  try {
    if (plan.changes.length > 0) {
      const result =
        strategy === "bulk"
          ? await writeBulk(gateway, plan.changes, sink, options.bulk)
          : {
              ...(await writePaced(gateway, plan.changes, sink, options.concurrency)),
              bulkOperations: [],
            };
      report.failures = result.failures;
      report.bulkOperations = result.bulkOperations;
      for (const failure of result.failures)
        if (failure.gone) await settleLedgerRows(shop, failure.customerId, failure.tags, now());
    }
  } finally {
    const after = gateway.stats();
    report.apiCalls = after.calls - before.calls;
    report.throttled = after.throttled - before.throttled;
  }
  return report;
}

/** `tags apply`: writes the diff between desired and applied app tags (or previews it). */
export async function applyShopTags(
  gateway: AdminGateway,
  shop: string,
  options: TagRunOptions = {},
) {
  return execute(gateway, shop, await planShopTags(shop), options);
}

/**
 * Clean uninstall: turns tagging off for every segment and removes every tag the app wrote
 * (ledger rows only; merchant tags are never in the ledger).
 */
export async function removeAllAppTags(
  gateway: AdminGateway,
  shop: string,
  options: TagRunOptions = {},
) {
  if (!options.dryRun) await disableAllTagging(shop);
  const ledger = await loadOpenLedger(shop);
  const plan = planTagChanges({ desired: [], ledger, currentTags: new Map() });
  return execute(gateway, shop, { plan, invalidSegments: [] }, options);
}
