import { describe, expect, it } from "vitest";
import { planStoreCleanup, summarizeCleanup, type CleanupInput } from "~/domain/cleanup/plan";
import type { LedgerEntry } from "~/domain/tags/plan";

const at = new Date("2026-01-01T00:00:00Z");
const row = (customerId: string, tag: string, state: LedgerEntry["state"]): LedgerEntry => ({
  customerId,
  tag,
  state,
  changedAt: at,
});
const installation = "gid://shopify/AppInstallation/7";
const bars = (ownerId = installation) => ({ ownerId, namespace: "persegment", key: "bars" });
const upsells = (n: number) => ({
  ownerId: `gid://shopify/Product/${n}`,
  namespace: "$app:persegment",
  key: "upsells",
});
const empty: CleanupInput = {
  ledger: [],
  shopifySegments: [],
  metafields: [],
  appInstallationId: null,
};

describe("planStoreCleanup", () => {
  it("removes every app tag the ledger holds as written or about to be, and nothing else", () => {
    const plan = planStoreCleanup({
      ...empty,
      ledger: [
        row("c1", "seg-vip", "applied"),
        row("c1", "seg-new", "pending-add"),
        row("c2", "seg-vip", "pending-remove"),
        row("c3", "seg-vip", "merchant-removed"),
      ],
    });
    expect(plan.tags.changes).toEqual([
      { customerId: "c1", add: [], remove: ["seg-new", "seg-vip"] },
      { customerId: "c2", add: [], remove: ["seg-vip"] },
    ]);
    // The merchant already took c3's tag off: settled in the ledger without a call.
    expect(plan.tags.transitions).toContainEqual(
      expect.objectContaining({ customerId: "c3", from: "merchant-removed", to: "removed" }),
    );
  });

  it("deletes recorded metafields, but only forgets an earlier installation's app data", () => {
    const earlier = bars("gid://shopify/AppInstallation/1");
    const plan = planStoreCleanup({
      ...empty,
      metafields: [bars(), earlier, upsells(1), upsells(2)],
      appInstallationId: installation,
    });
    expect(plan.metafieldsToDelete).toEqual([bars(), upsells(1), upsells(2)]);
    expect(plan.metafieldsToForget).toEqual([earlier]);
  });

  it("keeps the Shopify segments the app recorded creating", () => {
    const segment = { segmentId: "s1", name: "Persegment: vip", shopifySegmentId: "gid://x/1" };
    expect(planStoreCleanup({ ...empty, shopifySegments: [segment] }).shopifySegments).toEqual([
      segment,
    ]);
  });
});

describe("summarizeCleanup", () => {
  it("counts tags per tag and customer, segments, and shop vs product metafields", () => {
    const summary = summarizeCleanup(
      planStoreCleanup({
        ledger: [
          row("c1", "seg-vip", "applied"),
          row("c1", "seg-new", "applied"),
          row("c2", "seg-vip", "applied"),
          row("c3", "seg-gone", "merchant-removed"),
        ],
        shopifySegments: [{ segmentId: "s1", name: "Persegment: vip", shopifySegmentId: "g1" }],
        metafields: [bars(), upsells(1), upsells(2)],
        appInstallationId: installation,
      }),
      1,
    );
    expect(summary).toEqual({
      tags: {
        removals: 3,
        customers: 2,
        byTag: [
          { tag: "seg-vip", customers: 2 },
          { tag: "seg-new", customers: 1 },
        ],
        sample: [{ customerId: "c1", tags: ["seg-new", "seg-vip"] }],
      },
      shopifySegments: { count: 1, sample: [{ name: "Persegment: vip", shopifySegmentId: "g1" }] },
      metafields: { shop: 1, products: 2, sample: [bars()] },
      nothingToRemove: false,
    });
  });

  it("has nothing to remove once everything is gone (settled rows are not open)", () => {
    expect(summarizeCleanup(planStoreCleanup(empty)).nothingToRemove).toBe(true);
    const onlyForget = planStoreCleanup({
      ...empty,
      metafields: [bars("gid://shopify/AppInstallation/1")],
      appInstallationId: installation,
    });
    // A stale record still needs a run to go, though Shopify holds nothing of it.
    expect(summarizeCleanup(onlyForget).nothingToRemove).toBe(false);
  });
});
