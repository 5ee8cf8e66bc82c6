import { describe, expect, it } from "vitest";
import { MAX_MEMBER_PAGE, memberListParams } from "~/domain/segments/member-list";

const params = (query: string) => memberListParams(new URLSearchParams(query));

describe("the member list's URL parameters", () => {
  it("reads a sort, a direction and a page", () => {
    expect(params("sort=last_order&direction=asc&page=3")).toEqual({
      sort: "last_order",
      direction: "asc",
      page: 3,
    });
    expect(params("")).toEqual({ sort: "spent", direction: "desc", page: 1 });
  });

  it("falls back to the defaults for mangled values instead of failing", () => {
    for (const sort of ["__proto__", "constructor", "toString", "spent; DROP TABLE"])
      expect(params(`sort=${encodeURIComponent(sort)}`).sort).toBe("spent");
    expect(params("page=1e20").page).toBe(MAX_MEMBER_PAGE);
    expect(params("page=100000000000000000000").page).toBe(MAX_MEMBER_PAGE);
    for (const page of ["-4", "0", "2.5", "abc", "NaN", "Infinity"])
      expect(params(`page=${page}`).page, page).toBe(1);
  });
});
