/**
 * What the admin and the CLI show about segments: sizes, share, revenue, AOV, trend, history
 * and movement between RFM groups, all read from stored memberships, events and daily stats.
 */
import { countCustomers } from "~/models/customers.server";
import { loadRfmGrid } from "~/models/customer-scores.server";
import { loadSegmentMembers } from "~/models/member-lists.server";
import { countSegmentEvents, loadSegmentEvents } from "~/models/memberships.server";
import { latestStatDay, loadDailyStats, measureSegments } from "~/models/segment-sizes.server";
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
  const [segments, customers, lastDay] = await Promise.all([
    listSegments(shop),
    countCustomers(shop),
    latestStatDay(shop),
  ]);
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const [measures, stats, events] = await Promise.all([
    measureSegments(
      shop,
      segments.map((segment) => segment.id),
    ),
    loadDailyStats(shop, utcDay(new Date(now.getTime() - 30 * DAY_MS))),
    countSegmentEvents(shop, weekAgo),
  ]);
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
  return { customers, lastRecomputedDay: lastDay, segments: summaries };
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
  const events = (await loadSegmentEvents(shop, since)).filter((event) =>
    rfmHandle.has(event.segmentId),
  );
  const pending = new Map<string, { left?: string; entered?: string }>();
  const moves = new Map<string, number>();
  for (const event of events) {
    const key = `${event.customerId}@${event.at.getTime()}`;
    const pair = pending.get(key) ?? {};
    if (event.kind === "left") pair.left = rfmHandle.get(event.segmentId);
    else pair.entered = rfmHandle.get(event.segmentId);
    if (pair.left && pair.entered) {
      const move = `${pair.left}>${pair.entered}`;
      moves.set(move, (moves.get(move) ?? 0) + 1);
      pending.delete(key);
    } else pending.set(key, pair);
  }
  return [...moves.entries()]
    .map(([move, customers]) => {
      const [from, to] = move.split(">");
      return { from, to, customers };
    })
    .sort((a, b) => b.customers - a.customers);
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
    countSegmentEvents(shop, weekAgo),
    segment.kind === "rfm" ? rfmMovement(shop, weekAgo) : Promise.resolve([]),
    segment.kind === "rfm" ? loadRfmGrid(shop) : Promise.resolve([]),
  ]);
  const [measure] = await measureSegments(shop, [segment.id]);
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
