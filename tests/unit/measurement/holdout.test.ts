// Holdout slots and arcs (PRODUCT.md §8). The slot values were checked by hand with coreutils:
// printf 'persegment-holdout:7712345678901' | sha256sum → 456906…, 0x456906 = 4548870 → 70.
import { describe, expect, it } from "vitest";
import { onArc, placeHoldout, roomForHoldout } from "~/domain/measurement/holdout";
import { holdoutGroups, holdoutSlot, isHeldOut } from "~/domain/measurement/holdout-slot";

describe("holdout slot", () => {
  it("is the first six hex digits of the prefixed id's SHA-256, modulo 100", () => {
    expect(holdoutSlot(1)).toBe(31); // e5700f = 15036431
    expect(holdoutSlot("7712345678901")).toBe(70);
    expect(holdoutSlot(7712345678901)).toBe(70);
    expect(holdoutSlot(9007199254740991)).toBe(1); // db6e9d = 14380701
    expect(holdoutSlot("gid://shopify/Customer/7712345678901")).toBe(70);
  });

  it("refuses what is not a Shopify customer id", () => {
    for (const bad of ["gid://shopify/Order/1", "-5", "0", "1e3", "", " 12", "12.0"])
      expect(() => holdoutSlot(bad), bad).toThrow(/not a Shopify customer id/);
  });

  it("never holds out a guest", () => {
    expect(isHeldOut(null, { percent: 50, start: 0 })).toBe(false);
    expect(isHeldOut(7712345678901, { percent: 1, start: 70 })).toBe(true);
    expect(isHeldOut(7712345678901, { percent: 1, start: 71 })).toBe(false);
  });

  it("splits an audience into its shown and held-out customers", () => {
    expect(
      holdoutGroups([1, "7712345678901", 9007199254740991], { percent: 39, start: 32 }),
    ).toEqual({
      shown: [1, 9007199254740991],
      heldOut: ["7712345678901"],
    });
  });
});

describe("holdout arcs", () => {
  it("go round past 99, and hold nothing when off or unplaced", () => {
    const arc = { percent: 10, start: 95 };
    expect([94, 95, 99, 0, 4, 5].map((slot) => onArc(slot, arc))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(onArc(3, { percent: 0, start: 0 })).toBe(false);
    expect(onArc(3, { percent: 10, start: null })).toBe(false);
  });

  it("are placed first fit, keep their start while it fits, and report the longest free arc", () => {
    expect(placeHoldout(0, 12, [])).toEqual({ ok: true, start: null });
    expect(placeHoldout(10, null, [])).toEqual({ ok: true, start: 0 });
    const taken = [
      { percent: 20, start: 10 },
      { percent: 30, start: 50 },
    ];
    expect(placeHoldout(10, null, taken)).toEqual({ ok: true, start: 0 });
    expect(placeHoldout(15, null, taken)).toEqual({ ok: true, start: 30 });
    expect(placeHoldout(20, 80, taken)).toEqual({ ok: true, start: 80 });
    // 80–99 and 0–9 are one free run of 30 slots.
    expect(placeHoldout(30, null, taken)).toEqual({ ok: true, start: 80 });
    expect(placeHoldout(31, null, taken)).toEqual({ ok: false, largestFree: 30 });
    expect(roomForHoldout(taken)).toBe(30);
    expect(roomForHoldout([])).toBe(100);
    expect(
      roomForHoldout([
        { percent: 50, start: 0 },
        { percent: 50, start: 50 },
      ]),
    ).toBe(0);
  });
});
