/**
 * Whom and over which days a bar's lift report counts (PRODUCT.md §8): the window in which the bar
 * was live with its current holdout, and the customers who were in its audience at some moment of
 * that window. Deciding both from stored rows is all here; the service only reads the rows.
 */

export interface MeasuredWindow {
  from: Date;
  to: Date;
}

export interface MeasuredBar {
  enabled: boolean;
  /** The bar's last save: a switched-off bar was live until then at the latest. */
  updatedAt: Date;
  schedule: { startsAt: string | null; endsAt: string | null };
  /** `since`: when this share and place began (bars.ts), so who is held out is fixed from then. */
  holdout: { percent: number; since: string | null };
}

const instant = (iso: string | null, otherwise: number) => (iso ? Date.parse(iso) : otherwise);

/**
 * From the later of the holdout's start and the schedule's start, to the earliest of now, the
 * schedule's end and (for a bar switched off) its last save. Null without a holdout or before the
 * window opens.
 */
export function measuredWindow(bar: MeasuredBar, now: Date): MeasuredWindow | null {
  if (bar.holdout.percent <= 0 || bar.holdout.since === null) return null;
  const from = Math.max(Date.parse(bar.holdout.since), instant(bar.schedule.startsAt, -Infinity));
  const to = Math.min(
    now.getTime(),
    instant(bar.schedule.endsAt, Infinity),
    bar.enabled ? Infinity : bar.updatedAt.getTime(),
  );
  return to > from ? { from: new Date(from), to: new Date(to) } : null;
}

export interface CurrentMember {
  segmentId: string;
  customerId: string;
  enteredAt: Date;
}

export interface MembershipEvent {
  segmentId: string;
  customerId: string;
  /** "entered" or "left". */
  kind: string;
  at: Date;
}

/**
 * The customers in at least one of the segments at some moment of the window, from today's
 * members and the entries and exits recorded from the window's start on (`events`, oldest first;
 * earlier ones are ignored). A customer's first event from the start on says it all: within the
 * window, they were in then (an entry) or until then (an exit); after it, an exit means they were
 * in throughout and an entry that they were not. Without events, today's membership held all
 * along.
 */
export function segmentAudience(
  current: Iterable<CurrentMember>,
  events: Iterable<MembershipEvent>,
  { from, to }: MeasuredWindow,
): Set<string> {
  const key = (row: { segmentId: string; customerId: string }) =>
    `${row.segmentId}\u0000${row.customerId}`;
  const firstEvent = new Map<string, MembershipEvent>();
  for (const event of events)
    if (event.at >= from && !firstEvent.has(key(event))) firstEvent.set(key(event), event);
  const audience = new Set<string>();
  for (const event of firstEvent.values())
    if (event.at <= to || event.kind === "left") audience.add(event.customerId);
  for (const member of current)
    if (!firstEvent.has(key(member)) && member.enteredAt <= to) audience.add(member.customerId);
  return audience;
}

/** A bar for every segment reaches every customer there was during the window. */
export function everyCustomerAudience(
  customers: Iterable<{ id: string; createdAt: Date }>,
  { to }: MeasuredWindow,
): Set<string> {
  const audience = new Set<string>();
  for (const customer of customers) if (customer.createdAt <= to) audience.add(customer.id);
  return audience;
}
