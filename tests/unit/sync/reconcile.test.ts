import { describe, expect, it } from "vitest";
import {
  canReadAllOrders,
  emptyReport,
  goneFromShopify,
  lineItemsDiffer,
  orderHistoryStart,
  orderVerdict,
  readSince,
  recordVerdict,
  sameValue,
  tally,
} from "~/domain/sync/reconcile";

const at = (iso: string) => new Date(`2026-03-01T${iso}Z`);

describe("sameValue", () => {
  it("compares instants by time, whatever form the stored one has", () => {
    expect(sameValue(at("10:00:00.000"), at("10:00:00.000"))).toBe(true);
    expect(sameValue(at("10:00:00.000"), "2026-03-01T10:00:00.000Z")).toBe(true);
    expect(sameValue(at("10:00:00.000"), at("10:00:01.000"))).toBe(false);
    expect(sameValue(null, at("10:00:00.000"))).toBe(false);
  });

  it("compares anything else as text, null and undefined as empty", () => {
    expect(sameValue(1500n, 1500)).toBe(true);
    expect(sameValue(null, "")).toBe(true);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue("a", "b")).toBe(false);
  });
});

describe("recordVerdict", () => {
  const stored = {
    id: "c1",
    tags: "vip",
    updatedAt: at("10:00:00.000"),
    syncedAt: at("11:00:00.000"),
  };

  it("finds a record missing, stale or current", () => {
    expect(recordVerdict({ id: "c1", tags: "vip" }, undefined)).toBe("missing");
    expect(recordVerdict({ id: "c1", tags: "wholesale" }, stored)).toBe("stale");
    expect(recordVerdict({ id: "c1", tags: "vip", updatedAt: at("10:00:00.000") }, stored)).toBe(
      "current",
    );
  });

  it("compares only fields the record carries and the row has", () => {
    expect(recordVerdict({ id: "c1", tags: undefined }, stored)).toBe("current");
    expect(recordVerdict({ id: "c1", notStored: "x" }, stored)).toBe("current");
  });
});

describe("orders", () => {
  const line = { id: "l1", orderId: "o1", quantity: 2 };
  const storedLines = new Map([["l1", { id: "l1", orderId: "o1", quantity: 2, shop: "s" }]]);

  it("finds line items different when a field, the number of them, or one of them differs", () => {
    expect(lineItemsDiffer([line], storedLines, 1)).toBe(false);
    expect(lineItemsDiffer([{ ...line, quantity: 3 }], storedLines, 1)).toBe(true);
    expect(lineItemsDiffer([line], storedLines, 2)).toBe(true);
    expect(lineItemsDiffer([{ ...line, id: "l2" }], storedLines, 1)).toBe(true);
  });

  it("finds an order stale when it or its line items differ", () => {
    const stored = { id: "o1", name: "#1" };
    expect(orderVerdict({ id: "o1", name: "#1" }, stored, false)).toBe("current");
    expect(orderVerdict({ id: "o1", name: "#1" }, stored, true)).toBe("stale");
    expect(orderVerdict({ id: "o1", name: "#2" }, stored, false)).toBe("stale");
    expect(orderVerdict({ id: "o1", name: "#1" }, undefined, true)).toBe("missing");
  });
});

describe("tally", () => {
  it("counts every checked record, missing ones as created and stale ones as updated", () => {
    const report = emptyReport();
    for (const verdict of ["missing", "stale", "stale", "current"] as const) tally(report, verdict);
    expect(report).toEqual({ checked: 4, created: 1, updated: 2, deleted: 0 });
  });
});

describe("goneFromShopify", () => {
  it("keeps the stored ids Shopify does not have, in their order", () => {
    expect(goneFromShopify(["a", "b", "c", "d"], new Set(["b", "d", "e"]))).toEqual(["a", "c"]);
  });
});

describe("readSince", () => {
  it("reads from five minutes before the high-water mark, or from the start", () => {
    expect(readSince(at("10:00:00.000"))).toEqual(at("09:55:00.000"));
    expect(readSince(null)).toEqual(new Date(0));
    expect(readSince(new Date(60_000))).toEqual(new Date(0));
  });
});

describe("order history", () => {
  it("is whole with read_all_orders, else the last 60 days", () => {
    expect(canReadAllOrders("read_orders, read_all_orders")).toBe(true);
    expect(canReadAllOrders("read_orders")).toBe(false);
    const now = new Date("2026-03-02T00:00:00Z");
    expect(orderHistoryStart("read_orders,read_all_orders", now)).toBeNull();
    expect(orderHistoryStart("read_orders", now)).toEqual(new Date("2026-01-01T00:00:00Z"));
  });
});
