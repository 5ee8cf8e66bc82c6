import { describe, expect, it } from "vitest";
import { replacesStored } from "~/domain/sync/record-version";

const at = (iso: string) => new Date(`2026-01-01T00:00:${iso}Z`);
const version = (updated: string, observed: string | null) => ({
  updatedAt: at(updated),
  observedAt: observed === null ? null : at(observed),
});

describe("replacesStored", () => {
  it("orders by updatedAt when the seconds differ, whatever was observed", () => {
    expect(replacesStored(version("02", "02.100"), version("01", "09.000"))).toBe(true);
    expect(replacesStored(version("01", "09.000"), version("02", "02.100"))).toBe(false);
  });

  it("breaks a same-second tie by when Shopify had the content", () => {
    expect(replacesStored(version("05", "05.800"), version("05", "05.300"))).toBe(true);
    expect(replacesStored(version("05", "05.300"), version("05", "05.800"))).toBe(false);
  });

  it("lets a replay of the same version through (idempotent)", () => {
    expect(replacesStored(version("05", "05.300"), version("05", "05.300"))).toBe(true);
  });

  it("takes a tie it cannot break as newer, as before observation times", () => {
    expect(replacesStored(version("05", null), version("05", "05.800"))).toBe(true);
    expect(replacesStored(version("05", "05.300"), version("05", null))).toBe(true);
  });
});
