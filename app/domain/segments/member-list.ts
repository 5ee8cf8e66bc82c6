/** How the segment page's member list is asked for in its URL (?sort, ?direction, ?page). */

export const MEMBER_SORT_KEYS = [
  "spent",
  "orders",
  "last_order",
  "r",
  "f",
  "m",
  "entered",
] as const;
export type MemberSortKey = (typeof MEMBER_SORT_KEYS)[number];

/** Beyond any store's members at 50 a page; a larger page number would overflow SQL's OFFSET. */
export const MAX_MEMBER_PAGE = 1_000_000;

/**
 * The list's sort, direction and page from URL parameters. Anything else falls back to the
 * default rather than failing: `?sort=__proto__` or `?page=1e20` is a link someone mangled.
 */
export function memberListParams(search: URLSearchParams) {
  const sortParam = search.get("sort");
  const sort: MemberSortKey = MEMBER_SORT_KEYS.find((key) => key === sortParam) ?? "spent";
  const direction: "asc" | "desc" = search.get("direction") === "asc" ? "asc" : "desc";
  const requested = Number(search.get("page") ?? "1");
  const page = Number.isInteger(requested) ? Math.min(Math.max(1, requested), MAX_MEMBER_PAGE) : 1;
  return { sort, direction, page };
}
