// Whom and when a bar's lift report counts (PRODUCT.md §8): the measured window, and the customers
// in the bar's segments at some moment of it.
import { describe, expect, it } from "vitest";
import {
  everyCustomerAudience,
  measuredWindow,
  segmentAudience,
  type MeasuredBar,
} from "~/domain/measurement/audience";

const at = (day: number) => new Date(Date.UTC(2026, 5, day));
const iso = (day: number) => at(day).toISOString();

const bar = (changes: Partial<MeasuredBar> = {}): MeasuredBar => ({
  enabled: true,
  updatedAt: at(1),
  schedule: { startsAt: null, endsAt: null },
  holdout: { percent: 10, since: iso(1) },
  ...changes,
});

describe("measured window", () => {
  it("runs from the holdout's start to now while the bar is live", () => {
    expect(measuredWindow(bar(), at(10))).toEqual({ from: at(1), to: at(10) });
  });

  it("starts with the schedule when that is later, and ends with it when that is earlier", () => {
    const scheduled = bar({ schedule: { startsAt: iso(3), endsAt: iso(8) } });
    expect(measuredWindow(scheduled, at(10))).toEqual({ from: at(3), to: at(8) });
    expect(measuredWindow(scheduled, at(5))).toEqual({ from: at(3), to: at(5) });
  });

  it("ends at the last save of a bar switched off", () => {
    expect(measuredWindow(bar({ enabled: false, updatedAt: at(6) }), at(10))).toEqual({
      from: at(1),
      to: at(6),
    });
  });

  it("is null without a holdout, before it opens, and for a bar that ended before its holdout began", () => {
    expect(measuredWindow(bar({ holdout: { percent: 0, since: null } }), at(10))).toBeNull();
    expect(measuredWindow(bar({ holdout: { percent: 10, since: null } }), at(10))).toBeNull();
    expect(measuredWindow(bar({ schedule: { startsAt: iso(12), endsAt: null } }), at(10))).toBe(
      null,
    );
    expect(measuredWindow(bar(), at(1))).toBeNull();
    const ended = bar({
      schedule: { startsAt: null, endsAt: iso(1) },
      holdout: { percent: 10, since: iso(2) },
    });
    expect(measuredWindow(ended, at(10))).toBeNull();
  });
});

describe("segment audience", () => {
  const window = { from: at(10), to: at(20) };
  const member = (customerId: string, day: number, segmentId = "s1") => ({
    segmentId,
    customerId,
    enteredAt: at(day),
  });
  const event = (customerId: string, kind: string, day: number, segmentId = "s1") => ({
    segmentId,
    customerId,
    kind,
    at: at(day),
  });

  it("counts who was in at some moment of the window, and nobody else", () => {
    const current = [member("always", 1), member("joined", 15), member("came-back", 25)];
    const events = [
      event("joined", "entered", 15),
      event("left", "left", 12),
      event("left-after", "left", 25),
      event("came-back", "entered", 25),
      event("visited", "entered", 11),
      event("visited", "left", 13),
      event("earlier", "left", 5),
    ];
    expect([...segmentAudience(current, events, window)].sort()).toEqual([
      "always",
      "joined",
      "left",
      "left-after",
      "visited",
    ]);
  });

  it("counts a customer once across segments, and at one instant those in at that instant", () => {
    const current = [member("a", 1, "s1"), member("a", 1, "s2"), member("b", 15, "s2")];
    const events = [event("b", "entered", 15, "s2"), event("c", "left", 15, "s1")];
    expect([...segmentAudience(current, events, window)].sort()).toEqual(["a", "b", "c"]);
    const start = { from: at(10), to: at(10) };
    expect([...segmentAudience(current, events, start)].sort()).toEqual(["a", "c"]);
  });
});

describe("every-customer audience", () => {
  it("is the customers there were by the window's end", () => {
    const customers = [
      { id: "old", createdAt: at(1) },
      { id: "during", createdAt: at(15) },
      { id: "later", createdAt: at(21) },
    ];
    expect([...everyCustomerAudience(customers, { from: at(10), to: at(20) })]).toEqual([
      "old",
      "during",
    ]);
  });
});
