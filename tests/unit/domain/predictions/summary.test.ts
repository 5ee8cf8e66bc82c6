// The summary step: distinct purchase days in the shop's calendar, lifetimes' convention.
import { describe, expect, it } from "vitest";
import { summarizeCustomer, summarizeCustomers } from "~/domain/predictions";

const end = new Date("2026-03-31T23:59:59.999Z");
const at = (iso: string, value = 10) => ({ at: new Date(iso), value });

describe("summarizing a customer", () => {
  it("counts repeat purchase days, recency and T in days from the first purchase day", () => {
    const summary = summarizeCustomer(
      "c1",
      [
        at("2026-01-01T09:00:00Z", 30),
        at("2026-01-01T18:00:00Z", 20), // the same day: one purchase day worth 50
        at("2026-01-11T08:00:00Z", 15),
        at("2026-02-10T23:00:00Z", 25),
        at("2026-04-01T00:00:00Z", 999), // after the calibration end
      ],
      { calibrationEnd: end },
    );
    expect(summary).toEqual({
      customerId: "c1",
      frequency: 2,
      recency: 40,
      T: 89,
      monetary: 20,
      averageValue: 30,
    });
  });

  it("reads the calendar of the shop's time zone", () => {
    const purchases = [at("2026-01-01T10:00:00Z"), at("2026-01-02T02:00:00Z")];
    const utc = summarizeCustomer("c", purchases, { calibrationEnd: end });
    const newYork = summarizeCustomer("c", purchases, {
      calibrationEnd: end,
      timeZone: "America/New_York",
    });
    expect(utc?.frequency).toBe(1);
    expect(newYork?.frequency).toBe(0); // both on January 1st in New York
    expect(newYork?.T).toBe(89);
  });

  it("measures in weeks when asked, and is null with nothing before the calibration end", () => {
    const weeks = summarizeCustomer("c", [at("2026-01-01T00:00:00Z"), at("2026-01-15T00:00:00Z")], {
      calibrationEnd: end,
      unitDays: 7,
    });
    expect(weeks).toMatchObject({ frequency: 1, recency: 2, T: 89 / 7 });
    expect(
      summarizeCustomer("c", [at("2026-04-02T00:00:00Z")], { calibrationEnd: end }),
    ).toBeNull();
    expect(summarizeCustomer("c", [], { calibrationEnd: end })).toBeNull();
  });

  it("leaves out customers with nothing to summarise", () => {
    const summaries = summarizeCustomers(
      new Map([
        ["a", [at("2026-01-01T00:00:00Z")]],
        ["b", [at("2026-05-01T00:00:00Z")]],
      ]),
      { calibrationEnd: end },
    );
    expect(summaries.map((s) => s.customerId)).toEqual(["a"]);
  });

  it("rejects bad input with a clear error", () => {
    const options = { calibrationEnd: end };
    expect(() => summarizeCustomer("c", [{ at: new Date("x"), value: 1 }], options)).toThrow(
      /customer c: a purchase has no date/,
    );
    expect(() => summarizeCustomer("c", [at("2026-01-01T00:00:00Z", -1)], options)).toThrow(
      /not a sum of money/,
    );
    expect(() => summarizeCustomer("c", [], { calibrationEnd: new Date("x") })).toThrow(
      /calibrationEnd/,
    );
    expect(() => summarizeCustomer("c", [], { calibrationEnd: end, unitDays: 0 })).toThrow(
      /unitDays/,
    );
    expect(() =>
      summarizeCustomer("c", [], { calibrationEnd: end, timeZone: "Mars/Base" }),
    ).toThrow(/unknown time zone/);
  });
});
