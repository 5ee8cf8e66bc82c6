// `customerSegmentMembers`: the customers a segment query (or a saved segment's query) selects,
// evaluated over the store at the stand-in's clock. Relative dates are whole days on the calendar
// of the `timezone` argument (UTC when not given), as the schema documents.
import { connection, sortList, type PageArgs } from "./connections";
import { type CustomerRecord, gid, parseGid } from "./model";
import {
  type DayValue,
  EVALUATED_ATTRIBUTES,
  type Literal,
  type SegmentExpression,
  SegmentQueryError,
  parseSegmentQuery,
} from "./segment-query";
import type { Store } from "./store";
import { type ViewContext, Views, badRequest } from "./views";

const DAY = 86_400_000;
/** The schema's documented maximum page size for this connection. */
export const MEMBERS_MAX_PAGE_SIZE = 1000;

type MemberTest = (customer: CustomerRecord) => boolean;

/** Days since the epoch on the calendar of `timeZone`. */
function calendarDay(timeZone: string): (ms: number) => number {
  if (timeZone === "UTC") return (ms) => Math.floor(ms / DAY);
  // The Canadian English date is ISO's YYYY-MM-DD.
  const isoDate = (ms: number) => new Date(ms).toLocaleDateString("en-CA", { timeZone });
  try {
    isoDate(0);
  } catch {
    throw new SegmentQueryError(`Timezone '${timeZone}' is invalid.`);
  }
  return (ms) => Date.parse(`${isoDate(ms)}T00:00:00Z`) / DAY;
}

function dayNumber(value: DayValue, today: number): number {
  if ("date" in value) {
    const ms = Date.parse(`${value.date}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new SegmentQueryError(`'${value.date}' is not a date.`);
    return ms / DAY;
  }
  if (value.unit === "d") return today + value.offset;
  if (value.unit === "w") return today + 7 * value.offset;
  const at = new Date(today * DAY);
  const months = value.unit === "m" ? value.offset : 12 * value.offset;
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, at.getUTCDate()) / DAY;
}

function compare(op: string, value: number, bounds: number[]) {
  const [low, high] = bounds;
  switch (op) {
    case "=":
      return value === low;
    case "!=":
      return value !== low;
    case ">":
      return value > low;
    case ">=":
      return value >= low;
    case "<":
      return value < low;
    case "<=":
      return value <= low;
    default:
      return value >= low && value <= high;
  }
}

const MARKETING_STATES = new Set(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"]);

function firstOrderAt(store: Store, customerId: number) {
  let first: number | null = null;
  for (const order of store.ordersOf(customerId))
    if (!order.test && (first === null || order.processedAt < first)) first = order.processedAt;
  return first;
}

function attributeTest(
  clause: { attribute: string; op: string; values: Literal[] },
  store: Store,
  day: (ms: number) => number,
  today: number,
): MemberTest {
  const { attribute, op, values } = clause;
  const type = EVALUATED_ATTRIBUTES[attribute];
  const badOperator = () =>
    new SegmentQueryError(`'${op}' is not a valid operator for '${attribute}'.`);
  const badValue = () => new SegmentQueryError(`'${attribute}' has an invalid value.`);
  const [first] = values;
  if (type === "tags") {
    if (op !== "CONTAINS" && op !== "NOT CONTAINS") throw badOperator();
    if (typeof first !== "string") throw badValue();
    const tag = first.toLowerCase();
    return (c) => c.tags.some((t) => t.toLowerCase() === tag) === (op === "CONTAINS");
  }
  if (type === "status") {
    if (op !== "=" && op !== "!=") throw badOperator();
    const state = first;
    if (typeof state !== "string" || !MARKETING_STATES.has(state)) throw badValue();
    return (c) => (c.marketingState === state) === (op === "=");
  }
  if (op === "CONTAINS" || op === "NOT CONTAINS") throw badOperator();
  if (type === "number") {
    if (op.startsWith("IS")) throw badOperator();
    if (values.some((value) => typeof value !== "number")) throw badValue();
    const bounds = values as number[];
    return attribute === "number_of_orders"
      ? (c) => compare(op, store.customerStats(c.id).numberOfOrders, bounds)
      : (c) => compare(op, store.customerStats(c.id).amountSpentCents / 100, bounds);
  }
  const at: (c: CustomerRecord) => number | null =
    attribute === "customer_added_date"
      ? (c) => c.createdAt
      : attribute === "first_order_date"
        ? (c) => firstOrderAt(store, c.id)
        : (c) => store.customerStats(c.id).lastOrder?.processedAt ?? null;
  if (op === "IS NULL") return (c) => at(c) === null;
  if (op === "IS NOT NULL") return (c) => at(c) !== null;
  if (values.some((value) => typeof value !== "object")) throw badValue();
  const bounds = (values as DayValue[]).map((value) => dayNumber(value, today));
  return (c) => {
    const ms = at(c);
    return ms !== null && compare(op, day(ms), bounds);
  };
}

/** The customer test a parsed query stands for, at `now` in `timeZone`. */
function memberTest(
  expression: SegmentExpression,
  store: Store,
  now: number,
  timeZone: string,
): MemberTest {
  const day = calendarDay(timeZone);
  const today = day(now);
  const compile = (node: SegmentExpression): MemberTest => {
    if ("and" in node) {
      const parts = node.and.map(compile);
      return (c) => parts.every((part) => part(c));
    }
    if ("or" in node) {
      const parts = node.or.map(compile);
      return (c) => parts.some((part) => part(c));
    }
    if ("not" in node) {
      const inner = compile(node.not);
      return (c) => !inner(c);
    }
    if ("unevaluated" in node)
      throw badRequest(
        `The Shopify stand-in does not evaluate the segment filter ${node.unevaluated}`,
      );
    if ("attribute" in node) return attributeTest(node, store, day, today);
    const since = node.date ? dayNumber(node.date, today) : null;
    return (c) => {
      let count = 0;
      for (const event of store.emailEvents.get(c.id) ?? [])
        if (
          event.kind === node.email &&
          (node.activityId === null || event.activityId === node.activityId) &&
          (since === null || day(event.at) >= since)
        )
          count++;
      return count >= node.countAtLeast === node.expected;
    };
  };
  return compile(expression);
}

export interface MembersArgs extends PageArgs {
  query?: string | null;
  segmentId?: string | null;
  queryId?: string | null;
  sortKey?: string | null;
  timezone?: string | null;
}

function memberSort(store: Store, sortKey: string | null | undefined) {
  switch (sortKey ?? null) {
    case null:
      return (c: CustomerRecord) => c.id;
    case "created_at":
      return (c: CustomerRecord) => c.createdAt;
    case "number_of_orders":
      return (c: CustomerRecord) => store.customerStats(c.id).numberOfOrders;
    case "amount_spent":
      return (c: CustomerRecord) => store.customerStats(c.id).amountSpentCents;
    case "last_order_date":
      return (c: CustomerRecord) => store.customerStats(c.id).lastOrder?.processedAt ?? 0;
    default:
      throw badRequest(`The Shopify stand-in does not implement sortKey ${sortKey} for members`);
  }
}

function queryOf(store: Store, args: MembersArgs) {
  const given = [args.query, args.segmentId, args.queryId].filter((v) => v != null);
  if (given.length !== 1) throw badRequest("Provide exactly one of query, segmentId or queryId.");
  if (args.queryId != null)
    throw badRequest("The Shopify stand-in does not implement customerSegmentMembers(queryId:)");
  if (args.query != null) return args.query;
  const parsed = parseGid(args.segmentId!);
  const segment = parsed?.type === "Segment" ? store.segments.get(parsed.id) : undefined;
  if (!segment) throw badRequest("Segment does not exist");
  return segment.query;
}

/** The connection: members sorted by id (or `sortKey`), paged up to 1,000, with totalCount. */
export function customerSegmentMembers(ctx: ViewContext, args: MembersArgs) {
  const { store } = ctx;
  const query = queryOf(store, args);
  const timeZone = args.timezone ?? "UTC";
  const now = store.clock();
  let test: MemberTest;
  try {
    test = memberTest(parseSegmentQuery(query), store, now, timeZone);
  } catch (error) {
    if (error instanceof SegmentQueryError) throw badRequest(error.message);
    throw error;
  }
  const sortValue = memberSort(store, args.sortKey);
  const reverse = Boolean(args.reverse);
  // Relative dates move with the calendar day, so the day is part of what the list depends on.
  const key = `members|${query}|${timeZone}|${calendarDay(timeZone)(now)}|${args.sortKey ?? ""}|${reverse}`;
  const items = store.cachedList(key, () => {
    const members = [...store.customers.values()].filter(test);
    sortList({ items: members, sortValue, id: (c) => c.id, reverse });
    return members;
  });
  const views = new Views(ctx);
  const page = connection(
    { items, sortValue, id: (c) => c.id, reverse },
    args,
    (c) => ({
      ...views.customer(c),
      __typename: "CustomerSegmentMember",
      // Members have ids of their own type; the number is the customer's.
      id: gid("CustomerSegmentMember", c.id),
      lastOrderId: () => {
        const last = store.customerStats(c.id).lastOrder;
        return last ? gid("Order", last.id) : null;
      },
    }),
    MEMBERS_MAX_PAGE_SIZE,
  );
  return { ...page, totalCount: items.length };
}
