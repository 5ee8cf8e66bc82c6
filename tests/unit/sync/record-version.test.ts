import { describe, expect, it } from "vitest";
import { replacesStored, webhookObservedAt } from "~/domain/sync/record-version";

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

describe("webhookObservedAt", () => {
  it("ranks a create just before any other event of the same instant", () => {
    const instant = at("05.300");
    const create = {
      updatedAt: at("05"),
      observedAt: webhookObservedAt("customers/create", instant),
    };
    const update = {
      updatedAt: at("05"),
      observedAt: webhookObservedAt("customers/update", instant),
    };
    expect(replacesStored(create, update)).toBe(false);
    expect(replacesStored(update, create)).toBe(true);
    // A create that really came later still wins.
    const later = {
      updatedAt: at("05"),
      observedAt: webhookObservedAt("orders/create", at("05.301")),
    };
    expect(replacesStored(later, update)).toBe(true);
  });

  it("has no time for a delivery without X-Shopify-Triggered-At", () => {
    expect(webhookObservedAt("customers/create", null)).toBeNull();
  });
});
