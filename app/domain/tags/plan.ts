import { splitTags, tagKey } from "./tag-name";

/**
 * Desired-vs-applied reconciliation of app tags (PRODUCT.md §5).
 *
 * The ledger records every tag the app wrote or is about to write. A run first persists its
 * intent (pending-add / pending-remove), then calls Shopify, then marks rows applied / removed.
 * A run that stops anywhere in between leaves pending rows; the next run plans them again, and
 * because tagsAdd / tagsRemove are idempotent, re-sending them ends in exactly the desired state.
 */
export const LEDGER_STATES = [
  "pending-add",
  "applied",
  "pending-remove",
  "removed",
  "merchant-removed",
] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

/** A tag a customer should carry because they are in a segment with tagging on. */
export interface DesiredTag {
  customerId: string;
  tag: string;
  segmentId: string;
  reason: string;
  /** When the customer (last) entered the segment: a later entry is a "new entry". */
  enteredAt: Date;
}

export interface LedgerEntry {
  customerId: string;
  tag: string;
  state: LedgerState;
  /** When the state last changed (for merchant-removed: when the merchant's removal was seen). */
  changedAt: Date;
}

export interface LedgerTransition {
  customerId: string;
  tag: string;
  from: LedgerState | null;
  to: LedgerState;
  segmentId?: string;
  reason?: string;
}

/** One customer's writes: at most one tagsAdd and one tagsRemove, each carrying all its tags. */
export interface CustomerTagChange {
  customerId: string;
  add: string[];
  remove: string[];
}

export interface TagPlan {
  /** Ledger rows to write before any call (intent first, so a crash loses nothing). */
  transitions: LedgerTransition[];
  changes: CustomerTagChange[];
  /** Desired tags the customer already has although the app never wrote them: left alone. */
  merchantOwned: number;
  /** App tags a merchant removed by hand while the customer is still a member: not re-added. */
  merchantRemovedKept: number;
}

export interface PlanInput {
  desired: DesiredTag[];
  ledger: LedgerEntry[];
  /** The customer's current tags as last synced (for customers that have desired tags). */
  currentTags: ReadonlyMap<string, string | readonly string[]>;
}

const key = (customerId: string, tag: string) => `${customerId}\u0000${tag}`;

const MAX_REASON_LENGTH = 300;

/** The ledger's "why": which segment and which rule put the tag there. */
export function tagReason(segment: {
  handle: string;
  kind: string;
  description: string;
  rule: string | null;
}) {
  const rule = segment.kind === "custom" ? `rule ${segment.rule ?? "?"}` : segment.description;
  const reason = `segment ${segment.handle} (${segment.kind})${rule ? `: ${rule}` : ""}`;
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

export function planTagChanges({ desired, ledger, currentTags }: PlanInput): TagPlan {
  const ledgerByKey = new Map(ledger.map((entry) => [key(entry.customerId, entry.tag), entry]));
  const desiredByKey = new Map<string, DesiredTag>();
  for (const tag of desired) {
    const existing = desiredByKey.get(key(tag.customerId, tag.tag));
    // Two segments can share a tag only if their handles clash; keep the earliest entry.
    if (!existing || tag.enteredAt < existing.enteredAt)
      desiredByKey.set(key(tag.customerId, tag.tag), tag);
  }

  const transitions: LedgerTransition[] = [];
  const adds = new Map<string, Set<string>>();
  const removes = new Map<string, Set<string>>();
  const push = (target: Map<string, Set<string>>, customerId: string, tag: string) => {
    const tags = target.get(customerId) ?? new Set<string>();
    tags.add(tag);
    target.set(customerId, tags);
  };
  let merchantOwned = 0;
  let merchantRemovedKept = 0;

  for (const [entryKey, want] of desiredByKey) {
    const entry = ledgerByKey.get(entryKey);
    const why = { segmentId: want.segmentId, reason: want.reason };
    const state = entry?.state ?? null;
    if (state === "applied") continue;
    if (state === "pending-add") {
      push(adds, want.customerId, want.tag);
      continue;
    }
    if (state === "merchant-removed" && entry && want.enteredAt <= entry.changedAt) {
      merchantRemovedKept++;
      continue;
    }
    if (state === null) {
      const has = splitTags(currentTags.get(want.customerId) ?? []).some(
        (tag) => tagKey(tag) === tagKey(want.tag),
      );
      if (has) {
        merchantOwned++;
        continue;
      }
    }
    // New entry, re-entry after removal, or re-entry before a pending removal went through.
    transitions.push({
      customerId: want.customerId,
      tag: want.tag,
      from: state,
      to: "pending-add",
      ...why,
    });
    push(adds, want.customerId, want.tag);
  }

  for (const [entryKey, entry] of ledgerByKey) {
    if (desiredByKey.has(entryKey)) continue;
    if (entry.state === "pending-remove") push(removes, entry.customerId, entry.tag);
    else if (entry.state === "applied" || entry.state === "pending-add") {
      transitions.push({
        customerId: entry.customerId,
        tag: entry.tag,
        from: entry.state,
        to: "pending-remove",
      });
      push(removes, entry.customerId, entry.tag);
    } else if (entry.state === "merchant-removed") {
      // The customer left: the merchant's removal is settled, a later entry tags them again.
      transitions.push({
        customerId: entry.customerId,
        tag: entry.tag,
        from: entry.state,
        to: "removed",
      });
    }
  }

  const customerIds = [...new Set([...adds.keys(), ...removes.keys()])].sort();
  const changes = customerIds.map((customerId) => ({
    customerId,
    add: [...(adds.get(customerId) ?? [])].sort(),
    remove: [...(removes.get(customerId) ?? [])].sort(),
  }));
  return { transitions, changes, merchantOwned, merchantRemovedKept };
}

/** Ledger entries to remove everything the app wrote (clean uninstall). */
export function planRemoveAll(ledger: LedgerEntry[]): TagPlan {
  return planTagChanges({ desired: [], ledger, currentTags: new Map() });
}

/** Number of mutation executions a set of changes needs (one per non-empty add/remove list). */
export function countMutations(changes: readonly CustomerTagChange[]) {
  let count = 0;
  for (const change of changes)
    count += (change.add.length > 0 ? 1 : 0) + (change.remove.length > 0 ? 1 : 0);
  return count;
}
