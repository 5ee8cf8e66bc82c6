import { describe, expect, it } from "vitest";
import {
  countMutations,
  planRemoveAll,
  planTagChanges,
  tagReason,
  type DesiredTag,
  type LedgerEntry,
} from "~/domain/tags/plan";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-02T00:00:00Z");
const t2 = new Date("2026-01-03T00:00:00Z");

const want = (customerId: string, tag: string, enteredAt = t0): DesiredTag => ({
  customerId,
  tag,
  segmentId: `segment-${tag}`,
  reason: `segment ${tag}`,
  enteredAt,
});
const entry = (
  customerId: string,
  tag: string,
  state: LedgerEntry["state"],
  changedAt = t1,
): LedgerEntry => ({
  customerId,
  tag,
  state,
  changedAt,
});

describe("planTagChanges", () => {
  it("adds new members' tags, one change per customer carrying all its tags, intent recorded", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-vip"), want("c1", "seg-repeat"), want("c2", "seg-vip")],
      ledger: [],
      currentTags: new Map([["c1", "wholesale"]]),
    });
    expect(plan.changes).toEqual([
      { customerId: "c1", add: ["seg-repeat", "seg-vip"], remove: [] },
      { customerId: "c2", add: ["seg-vip"], remove: [] },
    ]);
    expect(plan.transitions).toHaveLength(3);
    expect(plan.transitions.every((t) => t.from === null && t.to === "pending-add")).toBe(true);
    expect(countMutations(plan.changes)).toBe(2);
  });

  it("costs nothing for unchanged customers: applied tags still wanted need no call", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-vip")],
      ledger: [entry("c1", "seg-vip", "applied")],
      currentTags: new Map(),
    });
    expect(plan.changes).toEqual([]);
    expect(plan.transitions).toEqual([]);
  });

  it("removes only ledger tags that are no longer wanted, never the merchant's own", () => {
    const plan = planTagChanges({
      desired: [],
      ledger: [entry("c1", "seg-vip", "applied"), entry("c2", "seg-vip", "removed")],
      currentTags: new Map([["c3", "seg-vip,seg-lookalike"]]),
    });
    expect(plan.changes).toEqual([{ customerId: "c1", add: [], remove: ["seg-vip"] }]);
    expect(plan.transitions).toEqual([
      { customerId: "c1", tag: "seg-vip", from: "applied", to: "pending-remove" },
    ]);
  });

  it("leaves a wanted tag the customer already has (merchant's, case-insensitive) out of the ledger", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-vip")],
      ledger: [],
      currentTags: new Map([["c1", "SEG-VIP, other"]]),
    });
    expect(plan.changes).toEqual([]);
    expect(plan.transitions).toEqual([]);
    expect(plan.merchantOwned).toBe(1);
  });

  it("re-sends pending rows of an interrupted run (idempotent writes finish it exactly)", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-vip")],
      ledger: [entry("c1", "seg-vip", "pending-add"), entry("c2", "seg-vip", "pending-remove")],
      currentTags: new Map(),
    });
    expect(plan.changes).toEqual([
      { customerId: "c1", add: ["seg-vip"], remove: [] },
      { customerId: "c2", add: [], remove: ["seg-vip"] },
    ]);
    expect(plan.transitions).toEqual([]);
  });

  it("undoes a pending add whose customer left, and re-adds a pending removal whose customer came back", () => {
    const plan = planTagChanges({
      desired: [want("c2", "seg-vip")],
      ledger: [entry("c1", "seg-vip", "pending-add"), entry("c2", "seg-vip", "pending-remove")],
      currentTags: new Map(),
    });
    expect(plan.changes).toEqual([
      { customerId: "c1", add: [], remove: ["seg-vip"] },
      { customerId: "c2", add: ["seg-vip"], remove: [] },
    ]);
    expect(plan.transitions.map((t) => [t.customerId, t.from, t.to])).toEqual([
      ["c2", "pending-remove", "pending-add"],
      ["c1", "pending-add", "pending-remove"],
    ]);
  });

  it("does not fight a merchant removal while the customer stays, but re-adds on a new entry", () => {
    const stays = planTagChanges({
      desired: [want("c1", "seg-vip", t0)],
      ledger: [entry("c1", "seg-vip", "merchant-removed", t1)],
      currentTags: new Map(),
    });
    expect(stays.changes).toEqual([]);
    expect(stays.merchantRemovedKept).toBe(1);

    const reentered = planTagChanges({
      desired: [want("c1", "seg-vip", t2)],
      ledger: [entry("c1", "seg-vip", "merchant-removed", t1)],
      currentTags: new Map(),
    });
    expect(reentered.changes).toEqual([{ customerId: "c1", add: ["seg-vip"], remove: [] }]);
    expect(reentered.transitions[0]).toMatchObject({ from: "merchant-removed", to: "pending-add" });

    const left = planTagChanges({
      desired: [],
      ledger: [entry("c1", "seg-vip", "merchant-removed", t1)],
      currentTags: new Map(),
    });
    expect(left.changes).toEqual([]);
    expect(left.transitions).toEqual([
      { customerId: "c1", tag: "seg-vip", from: "merchant-removed", to: "removed" },
    ]);
  });

  it("re-adds on re-entry after a completed removal, even if stale synced tags still show it", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-vip")],
      ledger: [entry("c1", "seg-vip", "removed")],
      currentTags: new Map([["c1", "seg-vip"]]),
    });
    expect(plan.changes).toEqual([{ customerId: "c1", add: ["seg-vip"], remove: [] }]);
    expect(plan.transitions[0]).toMatchObject({
      from: "removed",
      to: "pending-add",
      segmentId: "segment-seg-vip",
    });
  });

  it("carries adds and removes for the same customer in one change", () => {
    const plan = planTagChanges({
      desired: [want("c1", "seg-new")],
      ledger: [entry("c1", "seg-old", "applied")],
      currentTags: new Map(),
    });
    expect(plan.changes).toEqual([{ customerId: "c1", add: ["seg-new"], remove: ["seg-old"] }]);
    expect(countMutations(plan.changes)).toBe(2);
  });

  it("plans removing every open app tag for a clean uninstall", () => {
    const plan = planRemoveAll([
      entry("c1", "seg-vip", "applied"),
      entry("c1", "seg-repeat", "pending-add"),
      entry("c2", "seg-vip", "removed"),
      entry("c3", "seg-vip", "merchant-removed"),
    ]);
    expect(plan.changes).toEqual([
      { customerId: "c1", add: [], remove: ["seg-repeat", "seg-vip"] },
    ]);
  });
});

describe("tagReason", () => {
  it("names the segment and its rule, bounded in length", () => {
    expect(
      tagReason({
        handle: "vip",
        kind: "lifecycle",
        description: "2+ orders, top 10% spend",
        rule: null,
      }),
    ).toBe("segment vip (lifecycle): 2+ orders, top 10% spend");
    const rule = JSON.stringify({ field: "tags", op: "has_any", value: ["club"] });
    expect(tagReason({ handle: "club", kind: "custom", description: "ignored", rule })).toBe(
      `segment club (custom): rule ${rule}`,
    );
    expect(
      tagReason({ handle: "x", kind: "custom", description: "", rule: "y".repeat(1000) }),
    ).toHaveLength(300);
  });
});
