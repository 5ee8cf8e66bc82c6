import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateStore, readSeed, seedLines, writeSeed } from "../src";
import { NOW } from "./helpers";

const folder = mkdtempSync(path.join(tmpdir(), "stand-in-seed-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("store generator", () => {
  it("is deterministic: the same seed and date give the same store, another seed does not", () => {
    const a = [...seedLines(generateStore({ customers: 300, seed: 42, now: NOW }))];
    const b = [...seedLines(generateStore({ customers: 300, seed: 42, now: NOW }))];
    const c = [...seedLines(generateStore({ customers: 300, seed: 43, now: NOW }))];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("makes a realistic shop: long-tailed orders, guests, non-buyers, cancellations, discounts, merchant tags", () => {
    const store = generateStore({ customers: 2000, seed: 7, now: NOW });
    const orders = [...store.orders.values()];
    const perCustomer = [...store.customers.values()].map(
      (c) => store.customerStats(c.id).numberOfOrders,
    );
    const nonBuyers = perCustomer.filter((n) => n === 0).length;
    expect(nonBuyers / perCustomer.length).toBeGreaterThan(0.08);
    expect(nonBuyers / perCustomer.length).toBeLessThan(0.25);
    expect(Math.max(...perCustomer)).toBeGreaterThan(20);
    expect(orders.length / 2000).toBeGreaterThan(3);
    expect(orders.length / 2000).toBeLessThan(5.5);
    expect(orders.filter((o) => o.customerId === null).length).toBeGreaterThan(0);
    expect(orders.filter((o) => o.cancelledAt !== null).length / orders.length).toBeGreaterThan(
      0.01,
    );
    expect(orders.some((o) => o.test)).toBe(true);
    expect(orders.filter((o) => o.discountCodes.length > 0).length / orders.length).toBeGreaterThan(
      0.05,
    );
    expect(
      new Set([...store.customers.values()].map((c) => c.address?.countryCode)).size,
    ).toBeGreaterThan(6);
    expect([...store.customers.values()].some((c) => c.tags.includes("seg-vip"))).toBe(true);
    expect(new Set([...store.products.values()].map((p) => p.productType)).size).toBeGreaterThan(5);
    expect(new Set([...store.products.values()].map((p) => p.vendor)).size).toBeGreaterThan(3);
    // Collections: most products in one or more, some in none, none in an unknown one.
    const memberships = [...store.products.values()].map((p) => p.collectionIds.length);
    expect(store.collections.size).toBeGreaterThan(4);
    expect(memberships.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(memberships.filter((n) => n >= 2).length).toBeGreaterThan(0);
    for (const product of store.products.values())
      for (const id of product.collectionIds) expect(store.collections.has(id)).toBe(true);
    // Seasonality: November and December carry more orders per day than January and February.
    const byMonth = new Array(12).fill(0);
    for (const order of orders) byMonth[new Date(order.processedAt).getUTCMonth()]++;
    expect(byMonth[10] + byMonth[11]).toBeGreaterThan(byMonth[0] + byMonth[1]);
    for (const order of orders) {
      const lines = order.lineItems.reduce(
        (sum, line) => sum + line.quantity * line.unitPriceCents,
        0,
      );
      expect(order.subtotalCents).toBe(lines);
      expect(order.totalCents).toBe(
        order.subtotalCents - order.discountCents + order.shippingCents,
      );
      expect(order.processedAt).toBeLessThanOrEqual(NOW.getTime());
    }
  });
});

describe("seed files", () => {
  it("round-trips a store exactly through the PRODUCT.md §7 JSONL format", async () => {
    const store = generateStore({ customers: 150, seed: 5, now: NOW });
    const file = path.join(folder, "seed.jsonl");
    await writeSeed(store, file);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const types = new Set(lines.map((line) => line.id.split("/")[3]));
    expect(types).toEqual(
      new Set(["Collection", "Product", "ProductVariant", "Customer", "Order", "LineItem"]),
    );
    // A collection is defined once, then listed under each of its products (bulk export shape).
    const memberships = lines.filter((line) => line.id.includes("/Collection/") && line.__parentId);
    expect(memberships.length).toBe(
      [...store.products.values()].reduce((n, p) => n + p.collectionIds.length, 0),
    );
    expect(memberships[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Collection\/\d+$/),
      __parentId: expect.stringMatching(/^gid:\/\/shopify\/Product\/\d+$/),
    });
    const lineItem = lines.find((line) => line.id.includes("/LineItem/"));
    expect(lineItem.__parentId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(Object.keys(lines.find((line) => line.id.includes("/Customer/")))).toEqual(
      expect.arrayContaining([
        "id",
        "firstName",
        "lastName",
        "email",
        "createdAt",
        "updatedAt",
        "tags",
        "numberOfOrders",
        "amountSpent",
        "defaultAddress",
        "emailMarketingConsent",
      ]),
    );
    const reread = await readSeed(file);
    expect([...seedLines(reread)]).toEqual([...seedLines(store)]);
    expect(reread.counts()).toEqual(store.counts());
  });

  it("refuses a malformed seed with the line number and loads nothing", async () => {
    const file = path.join(folder, "bad.jsonl");
    const good = JSON.stringify({
      id: "gid://shopify/Customer/1",
      createdAt: "2026-01-01T00:00:00Z",
      tags: [],
    });
    const orphan = JSON.stringify({
      id: "gid://shopify/LineItem/9",
      quantity: 1,
      __parentId: "gid://shopify/Order/77",
      originalUnitPriceSet: { shopMoney: { amount: "1.00" } },
    });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, `${good}\n${orphan}\n`);
    await expect(readSeed(file)).rejects.toThrow(/bad\.jsonl:2: line item before its order/);
    writeFileSync(file, `${good}\n{oops\n`);
    await expect(readSeed(file)).rejects.toThrow(/bad\.jsonl:2: not valid JSON/);
  });
});
