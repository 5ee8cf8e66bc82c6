/**
 * Who belongs in each segment and what changes: the decisions a recompute takes between reading
 * the stored memberships and writing entries, exits and sizes.
 */
import { builtInHandlesFor } from "./catalog";

export interface MembershipChange {
  segmentId: string;
  entered: string[];
  left: string[];
}

/** A segment's size, revenue (its members' spend) and their orders, or a change of them. */
export interface SegmentSize {
  segmentId: string;
  members: number;
  revenueCents: bigint;
  orders: number;
}

/** What a customer brings to a segment's size: spend and counted orders. */
export interface MemberWeight {
  spentCents: bigint;
  orders: number;
}

/** The ids of the shop's built-in segments a scored customer belongs to. */
export function builtInSegmentIdsOf(segments: readonly { id: string; handle: string }[]) {
  const segmentIdByHandle = new Map(segments.map((segment) => [segment.handle, segment.id]));
  return (score: { rfmGroup: string; lifecycle: readonly string[] }) => {
    const segmentIds: string[] = [];
    for (const handle of builtInHandlesFor(score)) {
      const segmentId = segmentIdByHandle.get(handle);
      if (segmentId) segmentIds.push(segmentId);
    }
    return segmentIds;
  };
}

/** Each segment's desired members from the built-in handles of the scored customers. */
export function builtInMembers(
  segments: readonly { id: string; handle: string }[],
  scores: Map<string, { rfmGroup: string; lifecycle: readonly string[] }>,
) {
  const builtInSegmentIds = builtInSegmentIdsOf(segments);
  const desired = new Map<string, Set<string>>(segments.map((segment) => [segment.id, new Set()]));
  for (const [customerId, score] of scores)
    for (const segmentId of builtInSegmentIds(score)) desired.get(segmentId)?.add(customerId);
  return desired;
}

/** Entries (desired, not current) and exits (current, not desired) of each segment. */
export function diffMemberships(
  segmentIds: string[],
  desired: Map<string, Set<string>>,
  current: Map<string, Set<string>>,
): MembershipChange[] {
  return segmentIds.map((segmentId) => {
    const want = desired.get(segmentId) ?? new Set<string>();
    const have = current.get(segmentId) ?? new Set<string>();
    return {
      segmentId,
      entered: [...want].filter((id) => !have.has(id)),
      left: [...have].filter((id) => !want.has(id)),
    };
  });
}

/** Above this share of changed customers, rules are evaluated for the whole shop again. */
const RE_EVALUATE_ALL_ABOVE = 0.02;

/** Whether `changed` of `customers` are too many to evaluate custom rules for them alone. */
export function reevaluatesWholeShop(changed: number, customers: number) {
  return changed > customers * RE_EVALUATE_ALL_ABOVE;
}

/** Custom segments' members by segment id, and the segments whose rule could not be evaluated. */
export interface CustomEvaluation {
  members: Map<string, Set<string>>;
  unevaluated: Map<string, string>;
}

/**
 * `before` (updated in place) with `changedIds` evaluated again (`after`): each segment's members
 * among them are replaced by the new ones, and a segment that failed now fails.
 */
export function withReevaluated<E extends CustomEvaluation>(
  before: E,
  after: CustomEvaluation,
  changedIds: string[],
) {
  for (const [segmentId, message] of after.unevaluated) {
    before.members.delete(segmentId);
    before.unevaluated.set(segmentId, message);
  }
  for (const [segmentId, members] of before.members) {
    for (const id of changedIds) members.delete(id);
    for (const id of after.members.get(segmentId) ?? []) members.add(id);
  }
  return before;
}

/**
 * How each segment's size, revenue and orders move when `customerIds` go from their `current`
 * memberships (weighed as before) to the `desired` ones (weighed as after); unmoved segments are
 * left out.
 */
export function sizeDeltas(
  segmentIds: string[],
  customerIds: string[],
  current: Map<string, Set<string>>,
  desired: Map<string, Set<string>>,
  weights: { before: Map<string, MemberWeight>; after: Map<string, MemberWeight> },
): SegmentSize[] {
  return segmentIds.flatMap((segmentId) => {
    const before = current.get(segmentId) ?? new Set<string>();
    const after = desired.get(segmentId) ?? new Set<string>();
    let members = 0;
    let revenueCents = 0n;
    let orders = 0;
    for (const id of customerIds) {
      const wasIn = before.has(id);
      const isIn = after.has(id);
      members += Number(isIn) - Number(wasIn);
      const was = wasIn ? weights.before.get(id) : undefined;
      const is = isIn ? weights.after.get(id) : undefined;
      revenueCents += (is?.spentCents ?? 0n) - (was?.spentCents ?? 0n);
      orders += (is?.orders ?? 0) - (was?.orders ?? 0);
    }
    return members !== 0 || revenueCents !== 0n || orders !== 0
      ? [{ segmentId, members, revenueCents, orders }]
      : [];
  });
}

/**
 * A full recompute's memberships, with the shop's customers by position: each segment's desired
 * members are flags over them, so diffing with the stored members and measuring sizes are array
 * walks, not operations on sets of 100,000 ids.
 */
export class ShopMemberships {
  private readonly position = new Map<string, number>();
  private readonly desired = new Map<string, Uint8Array>();
  /** Spend as numbers: a segment's revenue sums exactly up to 2^53 minor units. */
  private readonly spent: Float64Array;
  private readonly orders: Float64Array;

  constructor(private readonly customers: readonly { id: string; aggregate: MemberWeight }[]) {
    this.spent = new Float64Array(customers.length);
    this.orders = new Float64Array(customers.length);
    customers.forEach((customer, index) => {
      this.position.set(customer.id, index);
      this.spent[index] = Number(customer.aggregate.spentCents);
      this.orders[index] = customer.aggregate.orders;
    });
  }

  private flags(segmentId: string) {
    let flags = this.desired.get(segmentId);
    if (!flags) {
      flags = new Uint8Array(this.customers.length);
      this.desired.set(segmentId, flags);
    }
    return flags;
  }

  add(segmentId: string, position: number) {
    this.flags(segmentId)[position] = 1;
  }

  addAll(segmentId: string, customerIds: Iterable<string>) {
    const flags = this.flags(segmentId);
    for (const id of customerIds) {
      const position = this.position.get(id);
      if (position !== undefined) flags[position] = 1;
    }
  }

  /** Entries and exits against the `stored` members, and the segment's new size and revenue. */
  diff(segmentId: string, stored: string[]) {
    const want = this.flags(segmentId);
    const have = new Uint8Array(want.length);
    const left: string[] = [];
    for (const id of stored) {
      const position = this.position.get(id);
      // A customer no longer in the table (deleted in Shopify) leaves too.
      if (position !== undefined && want[position]) have[position] = 1;
      else left.push(id);
    }
    const entered: string[] = [];
    let members = 0;
    let revenue = 0;
    let orders = 0;
    for (let position = 0; position < want.length; position++) {
      if (!want[position]) continue;
      members++;
      revenue += this.spent[position];
      orders += this.orders[position];
      if (!have[position]) entered.push(this.customers[position].id);
    }
    return {
      change: { segmentId, entered, left } satisfies MembershipChange,
      size: { segmentId, members, revenueCents: BigInt(revenue), orders } satisfies SegmentSize,
    };
  }
}
