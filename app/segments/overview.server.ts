/**
 * What the admin and the CLI show about segments: sizes, share, revenue, AOV, trend, history
 * and movement between RFM groups, all read from stored memberships, events and daily stats.
 */
import { countCustomers } from "~/models/customers.server";
import { loadRfmGrid } from "~/models/customer-scores.server";
import { loadSegmentMembers } from "~/models/member-lists.server";
import {
  countMovesBetween,
  countSegmentEvents,
  loadSegmentEvents,
} from "~/models/memberships.server";
import { loadDailyStats, measureSegments } from "~/models/segment-sizes.server";
import { findSegment, listSegments } from "~/models/segments.server";
import { utcDay } from "./recompute.server";
import type { MemberSortKey } from "~/domain/segments/member-list";
import { evaluationNotice, type EvaluationStatus } from "~/domain/segments/rule-evaluation";

const DAY_MS = 86_400_000;

export interface SegmentSummary {
  id: string;
  handle: string;
  name: string;
  kind: string;
  description: string;
  tagEnabled: boolean;
  members: number;
  share: number;
  revenueCents: string;
  /** Average order value of the members' counted orders, in cents (string: BigInt-safe JSON). */
  aovCents: string | null;
  /** Members per day over the last 30 days (days without a recompute are absent). */
  trend: { day: string; members: number }[];
  enteredThisWeek: number;
  leftThisWeek: number;
  ruleNotice: RuleNotice | null;
}

/** Why a segment's rule could not be evaluated, as the admin shows it (`since`: ISO instant). */
export type RuleNotice = { title: string; reason: string; since: string; action: string };

function ruleNoticeOf(segment: EvaluationStatus): RuleNotice | null {
  const notice = evaluationNotice(segment);
  return notice && { ...notice, since: notice.since.toISOString() };
}

export async function listSegmentOverview(shop: string, now = new Date()) {
  const [segments, customers] = await Promise.all([listSegments(shop), countCustomers(shop)]);
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const [stats, events] = await Promise.all([
    loadDailyStats(shop, utcDay(new Date(now.getTime() - 30 * DAY_MS))),
    countSegmentEvents(shop, weekAgo),
  ]);
  const measures = await currentMeasures(
    shop,
    segments.map((segment) => segment.id),
    stats,
  );
  const measureById = new Map(measures.map((measure) => [measure.segmentId, measure]));
  const summaries: SegmentSummary[] = segments.map((segment) => {
    const measure = measureById.get(segment.id);
    const revenue = measure?.revenueCents ?? 0n;
    const orders = measure?.orders ?? 0;
    return {
      id: segment.id,
      handle: segment.handle,
      name: segment.name,
      kind: segment.kind,
      description: segment.description,
      tagEnabled: segment.tagEnabled,
      members: measure?.members ?? 0,
      share: customers ? (measure?.members ?? 0) / customers : 0,
      revenueCents: revenue.toString(),
      aovCents: orders ? (revenue / BigInt(orders)).toString() : null,
      trend: stats
        .filter((stat) => stat.segmentId === segment.id)
        .map((stat) => ({ day: stat.day, members: stat.members })),
      enteredThisWeek:
        events.find((event) => event.segmentId === segment.id && event.kind === "entered")?.count ??
        0,
      leftThisWeek:
        events.find((event) => event.segmentId === segment.id && event.kind === "left")?.count ?? 0,
      ruleNotice: ruleNoticeOf(segment),
    };
  });
  return { customers, segments: summaries };
}

/**
 * Each segment's size, revenue and orders now: its latest daily row, which every recompute and
 * every membership change keeps current (`stats` ordered by day); measured from the members
 * only for a segment without a recent row.
 */
async function currentMeasures(
  shop: string,
  segmentIds: string[],
  stats: { segmentId: string; members: number; revenueCents: bigint; orders: number }[],
) {
  const latest = new Map(stats.map((stat) => [stat.segmentId, stat]));
  const unmeasured = segmentIds.filter((id) => !latest.has(id));
  const measured = new Map(
    (await measureSegments(shop, unmeasured)).map((measure) => [measure.segmentId, measure]),
  );
  return segmentIds.map((segmentId) => {
    const stat = latest.get(segmentId) ?? measured.get(segmentId)!;
    return {
      segmentId,
      members: stat.members,
      revenueCents: stat.revenueCents,
      orders: stat.orders,
    };
  });
}

export interface Movement {
  from: string;
  to: string;
  customers: number;
}

/**
 * Moves between RFM groups since an instant: a customer's exit from one RFM segment and entry
 * into another are recorded at the same instant by the same recompute, so they pair up.
 */
export async function rfmMovement(shop: string, since: Date): Promise<Movement[]> {
  const segments = await listSegments(shop);
  const rfmHandle = new Map(segments.filter((s) => s.kind === "rfm").map((s) => [s.id, s.handle]));
  const moves = await countMovesBetween(shop, [...rfmHandle.keys()], since);
  return moves
    .map(({ fromId, toId, customers }) => ({
      from: rfmHandle.get(fromId)!,
      to: rfmHandle.get(toId)!,
      customers,
    }))
    .sort((a, b) => b.customers - a.customers || a.from.localeCompare(b.from));
}

/**
 * Net membership changes per segment since an instant (for tag writers): a customer who entered
 * and left again cancels out. Keys are segment ids.
 */
export async function segmentChangesSince(shop: string, since: Date, segmentId?: string) {
  const changes = new Map<string, { entered: Set<string>; left: Set<string> }>();
  for (const event of await loadSegmentEvents(shop, since, segmentId, 1_000_000)) {
    const change = changes.get(event.segmentId) ?? {
      entered: new Set<string>(),
      left: new Set<string>(),
    };
    changes.set(event.segmentId, change);
    if (event.kind === "entered") {
      if (!change.left.delete(event.customerId)) change.entered.add(event.customerId);
    } else if (!change.entered.delete(event.customerId)) change.left.add(event.customerId);
  }
  return changes;
}

export const MEMBERS_PER_PAGE = 50;

export async function segmentDetail(
  shop: string,
  handle: string,
  options: { sort: MemberSortKey; direction: "asc" | "desc"; page: number },
  now = new Date(),
) {
  const segment = await findSegment(shop, handle);
  if (!segment) return null;
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const [members, customers, history, weekEvents, movement, grid] = await Promise.all([
    loadSegmentMembers(shop, segment.id, {
      ...options,
      offset: (options.page - 1) * MEMBERS_PER_PAGE,
      limit: MEMBERS_PER_PAGE,
    }),
    countCustomers(shop),
    loadDailyStats(shop, utcDay(new Date(now.getTime() - 90 * DAY_MS)), segment.id),
    countSegmentEvents(shop, weekAgo, segment.id),
    segment.kind === "rfm" ? rfmMovement(shop, weekAgo) : Promise.resolve([]),
    segment.kind === "rfm" ? loadRfmGrid(shop) : Promise.resolve([]),
  ]);
  const [measure] = await currentMeasures(shop, [segment.id], history);
  return {
    segment,
    members,
    customers,
    measure,
    history: history.map((stat) => ({
      day: stat.day,
      members: stat.members,
      revenueCents: stat.revenueCents.toString(),
    })),
    enteredThisWeek:
      weekEvents.find((e) => e.segmentId === segment.id && e.kind === "entered")?.count ?? 0,
    leftThisWeek:
      weekEvents.find((e) => e.segmentId === segment.id && e.kind === "left")?.count ?? 0,
    movedOut: movement.filter((move) => move.from === segment.handle),
    movedIn: movement.filter((move) => move.to === segment.handle),
    grid,
    ruleNotice: ruleNoticeOf(segment),
  };
}

export async function rfmGrid(shop: string) {
  return loadRfmGrid(shop);
}
