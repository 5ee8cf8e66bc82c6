import { describe, expect, it } from "vitest";
import { parseCalendarTime } from "~/domain/dates";
import { validateBar, DEFAULT_BAR } from "~/domain/storefront/bars";

describe("typed dates", () => {
  it("reads dates and times whose day exists", () => {
    expect(parseCalendarTime("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseCalendarTime("2026-01-31T09:30:00Z")?.toISOString()).toBe(
      "2026-01-31T09:30:00.000Z",
    );
  });

  it("refuses days that do not exist instead of rolling them over", () => {
    for (const value of [
      "2026-02-30",
      "2026-02-29T10:00:00Z",
      "2026-13-01",
      "2026-04-31",
      "soon",
      7,
    ])
      expect(parseCalendarTime(value), String(value)).toBeNull();
  });

  it("applies to bar schedules", () => {
    const startingOn = (startsAt: string) => ({
      ...DEFAULT_BAR,
      name: "Spring",
      messages: { en: "Hello" },
      schedule: { startsAt, endsAt: null },
    });
    expect(validateBar(startingOn("2026-02-28T00:00:00Z"), []).ok).toBe(true);
    expect(validateBar(startingOn("2026-02-30T00:00:00Z"), []).ok).toBe(false);
  });
});
