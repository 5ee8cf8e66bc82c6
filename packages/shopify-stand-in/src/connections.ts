// Relay connections the way Shopify pages them: first/after or last/before (max 250), opaque
// cursors that encode the sort position, pageInfo computed against the whole filtered list.
import { GraphQLError } from "graphql";

export const MAX_PAGE_SIZE = 250;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Sorted<T> {
  items: T[];
  /** The value the list is sorted by (then by id), encoded into cursors. */
  sortValue: (item: T) => number | string;
  id: (item: T) => number;
  reverse: boolean;
}

interface CursorKey {
  last_id: number;
  last_value: number | string;
}

export function encodeCursor(key: CursorKey) {
  return Buffer.from(JSON.stringify(key)).toString("base64");
}

function decodeCursor(cursor: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as CursorKey;
    if (typeof key.last_id === "number" && key.last_value !== undefined) return key;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, {
    extensions: { code: "BAD_REQUEST" },
  });
}

export class PageSizeError extends GraphQLError {}

/** Shopify's checks on page arguments, shared by cost calculation and execution. */
export function checkPageArgs(args: PageArgs, max = MAX_PAGE_SIZE) {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null))
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  if (first !== undefined && first !== null && last !== undefined && last !== null)
    throw new GraphQLError("providing both first and last is not supported", {
      extensions: { code: "BAD_REQUEST" },
    });
  const size = (first ?? last)!;
  if (size < 0)
    throw new GraphQLError(
      `${first !== null && first !== undefined ? "first" : "last"} cannot be negative`,
      {
        extensions: { code: "BAD_REQUEST" },
      },
    );
  if (size > max)
    throw new PageSizeError(
      `The maximum page size is ${max}, but ${size} was requested (argument ${first !== null && first !== undefined ? "first" : "last"}).`,
      { extensions: { code: "MAX_PAGE_SIZE_EXCEEDED", maxPageSize: max, requested: size } },
    );
}

function compareKeys(
  a: { value: number | string; id: number },
  b: { value: number | string; id: number },
  reverse: boolean,
) {
  let order = a.value < b.value ? -1 : a.value > b.value ? 1 : a.id - b.id;
  if (order !== 0) order = order < 0 ? -1 : 1;
  return reverse ? -order : order;
}

/** Sorts in place by (sortValue, id), reversed when asked; keys are computed once per item. */
export function sortList<T>(sorted: Sorted<T>): Sorted<T> {
  const { items, sortValue, id, reverse } = sorted;
  const keyed = items.map((item) => ({ value: sortValue(item), id: id(item), item }));
  keyed.sort((a, b) => compareKeys(a, b, reverse));
  for (let index = 0; index < keyed.length; index++) items[index] = keyed[index].item;
  return sorted;
}

/** Index of the first item strictly after the cursor key in the list's order. */
function positionAfter<T>(sorted: Sorted<T>, key: CursorKey) {
  const target = { value: key.last_value, id: key.last_id };
  let low = 0;
  let high = sorted.items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = sorted.items[middle];
    const order = compareKeys(
      { value: sorted.sortValue(item), id: sorted.id(item) },
      target,
      sorted.reverse,
    );
    if (order <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first item at or after the cursor key (the end of a `before` window). */
function positionAt<T>(sorted: Sorted<T>, key: CursorKey) {
  const target = { value: key.last_value, id: key.last_id };
  let low = 0;
  let high = sorted.items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = sorted.items[middle];
    const order = compareKeys(
      { value: sorted.sortValue(item), id: sorted.id(item) },
      target,
      sorted.reverse,
    );
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Marks connection arguments coming from a bulk operation: page size and cursors are ignored and
 * the whole list is returned, as Shopify does for bulk queries.
 */
export const UNBOUNDED = Symbol("bulk: all nodes");

export function connection<T, V>(
  sorted: Sorted<T>,
  args: PageArgs,
  view: (item: T) => V,
  maxPageSize = MAX_PAGE_SIZE,
) {
  if ((args as Record<symbol, unknown>)[UNBOUNDED]) {
    const edges = sorted.items.map((item) => ({ cursor: "", node: view(item) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  }
  checkPageArgs(args, maxPageSize);
  const total = sorted.items.length;
  let start = args.after ? positionAfter(sorted, decodeCursor(args.after)) : 0;
  let end = args.before ? positionAt(sorted, decodeCursor(args.before)) : total;
  if (end < start) end = start;
  if (args.first !== undefined && args.first !== null) end = Math.min(end, start + args.first);
  if (args.last !== undefined && args.last !== null) start = Math.max(start, end - args.last);
  const page = sorted.items.slice(start, end);
  const cursorOf = (item: T) =>
    encodeCursor({ last_id: sorted.id(item), last_value: sorted.sortValue(item) });
  const edges = page.map((item) => ({ cursor: cursorOf(item), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
