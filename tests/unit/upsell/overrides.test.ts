import { describe, expect, it } from "vitest";
import { mergeUpsells } from "~/domain/upsell/overrides";

describe("merging merchant overrides", () => {
  it("puts pins first in the merchant's order, drops exclusions, the product itself and repeats", () => {
    expect(
      mergeUpsells("A", ["B", "C", "D", "A"], { pinned: ["D", "E", "A"], excluded: ["C"] }, 10),
    ).toEqual(["D", "E", "B"]);
  });

  it("respects the limit and works without overrides", () => {
    expect(mergeUpsells("A", ["B", "C", "D"], undefined, 2)).toEqual(["B", "C"]);
    expect(mergeUpsells("A", [], { pinned: [], excluded: [] }, 4)).toEqual([]);
  });
});
