import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runPredictions, type StoredPrediction } from "~/domain/predictions";
import { validateRule, type Condition, type RuleNode } from "~/domain/segments/rules";
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { previewRule } from "~/segments/custom.server";
import { exportRows } from "~/segments/export.server";
import { recomputeShop } from "~/segments/recompute.server";
import { customersMatching } from "~/models/segment-rules.server";
import { compileRule } from "~/segments/rule-sql";
import { generateStore, type CustomerRecord, type OrderRecord } from "@persegment/shopify-stand-in";
import { matchedOrThrow } from "../../support/rule-matches";
import { testShop } from "../../support/shopify-requests";
import { customerGid, insertGeneratedStore, productGid } from "../../support/store-rows";

const DAY = 86_400_000;
const now = new Date("2026-11-20T00:00:00Z");
const asOf = new Date(now.getTime() - 3 * DAY);
const store = generateStore({ customers: 300, seed: 11, now });
const shop = testShop("rules-sql");
const scores = new Map<
  string,
  { r: number | null; f: number | null; m: number | null; rfm_group: string }
>();
/** Predictions computed in memory from the stand-in's counted orders, by customer GID. */
const predictions = new Map<string, StoredPrediction>();
const collectionOf = (productId: number) =>
  productId % 3 === 0 ? ["gid://shopify/Collection/7"] : [];

/** A second, naive reading of the rule semantics, evaluated in memory on the stand-in data. */
function naiveMatch(node: RuleNode, customer: CustomerRecord): boolean {
  if ("and" in node) return node.and.every((child) => naiveMatch(child, customer));
  if ("or" in node) return node.or.some((child) => naiveMatch(child, customer));
  if ("not" in node) return !naiveMatch(node.not, customer);
  return naiveCondition(node, customer);
}

function compare(a: number | bigint, op: string, b: number | bigint) {
  return { "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[op]!;
}

function naiveCondition(condition: Condition, customer: CustomerRecord): boolean {
  const t = asOf.getTime();
  const counted = [...store.orders.values()].filter(
    (o) => o.customerId === customer.id && o.cancelledAt === null && !o.test && o.processedAt <= t,
  );
  const score = scores.get(customerGid(customer.id))!;
  switch (condition.field) {
    case "frequency":
      return compare(counted.length, condition.op, condition.value);
    case "monetary":
      return compare(
        counted.reduce((sum, o) => sum + o.totalCents, 0),
        condition.op,
        condition.value,
      );
    case "recency": {
      if (counted.length === 0) return false;
      const last = Math.max(...counted.map((o) => o.processedAt));
      return compare(Math.floor((t - last) / DAY), condition.op, condition.value);
    }
    case "expected_orders_90d":
    case "p_alive":
    case "predicted_clv":
    case "days_overdue": {
      const p = predictions.get(customerGid(customer.id));
      const value =
        p &&
        {
          expected_orders_90d: p.expectedOrders90d,
          p_alive: p.pAlive,
          predicted_clv: p.predictedSpend365d,
          days_overdue: p.daysOverdue,
        }[condition.field];
      return value !== undefined && value !== null && compare(value, condition.op, condition.value);
    }
    case "r":
    case "f":
    case "m":
      return (
        score[condition.field] !== null &&
        compare(score[condition.field]!, condition.op, condition.value)
      );
    case "rfm_group":
    case "country":
    case "province":
    case "city":
    case "email_marketing": {
      const value = {
        rfm_group: score.rfm_group,
        country: customer.address?.countryCode ?? null,
        province: customer.address?.provinceCode ?? null,
        city: customer.address?.city.toLowerCase() ?? null,
        email_marketing: customer.marketingState,
      }[condition.field];
      const list =
        condition.field === "city" ? condition.value.map((v) => v.toLowerCase()) : condition.value;
      const inList = value !== null && list.includes(value);
      return condition.op === "in" ? inList : !inList;
    }
    case "tags": {
      const tags = customer.tags.map((tag) => tag.toLowerCase());
      const has = condition.value.map((tag) => tags.includes(tag.toLowerCase()));
      return condition.op === "has_any"
        ? has.some(Boolean)
        : condition.op === "has_all"
          ? has.every(Boolean)
          : !has.some(Boolean);
    }
    case "customer_created":
      if (condition.op === "within_days") return customer.createdAt >= t - condition.value * DAY;
      return condition.op === "before"
        ? customer.createdAt < Date.parse(condition.value)
        : customer.createdAt >= Date.parse(condition.value);
    case "orders": {
      const where = condition.where ?? {};
      const matching = counted.filter((o: OrderRecord) => {
        if (where.within_days !== undefined && o.processedAt < t - where.within_days * DAY)
          return false;
        if (where.discount !== undefined && o.discountCodes.length > 0 !== where.discount)
          return false;
        if (where.channels && !where.channels.includes(o.sourceName)) return false;
        const needsLine =
          where.products || where.product_types || where.vendors || where.collections;
        if (!needsLine) return true;
        return o.lineItems.some((item) => {
          if (item.productId === null) return false;
          const product = store.products.get(item.productId)!;
          if (where.products && !where.products.includes(productGid(item.productId))) return false;
          if (where.product_types && !where.product_types.includes(product.productType))
            return false;
          if (where.vendors && !where.vendors.includes(product.vendor)) return false;
          if (
            where.collections &&
            !where.collections.some((c) => collectionOf(product.id).includes(c))
          )
            return false;
          return true;
        });
      });
      return compare(matching.length, condition.op, condition.value);
    }
  }
}

beforeAll(async () => {
  await insertGeneratedStore(shop, store);
  for (const product of store.products.values())
    if (collectionOf(product.id).length)
      await prisma.product.update({
        where: { shop_id: { shop, id: productGid(product.id) } },
        data: { collections: collectionOf(product.id).join(",") },
      });
  await recomputeShop(shop, { asOf });
  for await (const row of exportRows(shop)) scores.set(row.customer_id, row);
  await recordInstall(shop, "");
  await recordShopLocale(shop, { ianaTimezone: "UTC", currencyCode: "USD" });
  await refreshPredictions(shop, { asOf });
  const purchases = new Map<string, { at: Date; value: number }[]>();
  for (const o of store.orders.values())
    if (
      o.customerId !== null &&
      o.cancelledAt === null &&
      !o.test &&
      o.processedAt <= asOf.getTime()
    ) {
      const id = customerGid(o.customerId);
      purchases.set(id, [
        ...(purchases.get(id) ?? []),
        { at: new Date(o.processedAt), value: o.totalCents },
      ]);
    }
  for (const p of (await runPredictions(purchases, { asOf, timeZone: "UTC" })).predictions)
    predictions.set(p.customerId, p);
});

function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

describe("rules compiled to SQL agree with a naive evaluation", () => {
  const customers = [...store.customers.values()];
  const orders = [...store.orders.values()];
  const products = [...store.products.values()];
  const tag = mostCommon(customers.flatMap((c) => c.tags));
  const otherTag = mostCommon(customers.flatMap((c) => c.tags).filter((t) => t !== tag));
  const vendor = mostCommon(products.map((p) => p.vendor));
  const productType = mostCommon(products.map((p) => p.productType));
  const channel = mostCommon(orders.map((o) => o.sourceName));
  const city = mostCommon(customers.map((c) => c.address?.city ?? "none"));
  const province = mostCommon(customers.map((c) => c.address?.provinceCode ?? "none"));
  const popularProduct = mostCommon(
    orders.flatMap((o) => o.lineItems.map((i) => i.productId)).filter((id) => id !== null),
  );

  const rules: Record<string, unknown> = {
    "frequent, not top groups": {
      and: [
        { field: "frequency", op: ">=", value: 3 },
        { not: { field: "rfm_group", op: "in", value: ["champions", "loyal"] } },
      ],
    },
    "country or tag": {
      or: [
        { field: "country", op: "in", value: ["US"] },
        { field: "tags", op: "has_any", value: [tag] },
      ],
    },
    "recency exactly": { field: "recency", op: "=", value: 5 },
    "recency ranges": {
      or: [
        { field: "recency", op: "<=", value: 30 },
        { field: "recency", op: ">", value: 400 },
      ],
    },
    "recency not": { field: "recency", op: "!=", value: 10 },
    "not a high R (prospects included)": { not: { field: "r", op: ">=", value: 4 } },
    scores: {
      and: [
        { field: "f", op: ">", value: 2 },
        { field: "m", op: "<", value: 5 },
      ],
    },
    "big spenders": { field: "monetary", op: ">", value: 50_000 },
    "vendor twice in a year": {
      field: "orders",
      op: ">=",
      value: 2,
      where: { vendors: [vendor], within_days: 365 },
    },
    "discounted web orders of a type": {
      field: "orders",
      op: ">=",
      value: 1,
      where: { discount: true, channels: [channel], product_types: [productType] },
    },
    "never bought the type": {
      field: "orders",
      op: "=",
      value: 0,
      where: { product_types: [productType] },
    },
    "fewer than 3 web orders": {
      field: "orders",
      op: "<",
      value: 3,
      where: { channels: [channel] },
    },
    "not exactly 2 orders in 2 years": {
      field: "orders",
      op: "!=",
      value: 2,
      where: { within_days: 730 },
    },
    "a product, no discount": {
      field: "orders",
      op: ">=",
      value: 1,
      where: { products: [productGid(popularProduct!)], discount: false },
    },
    collection: {
      field: "orders",
      op: ">",
      value: 1,
      where: { collections: ["gid://shopify/Collection/7"] },
    },
    "created recently": { field: "customer_created", op: "within_days", value: 120 },
    "created in a window": {
      and: [
        { field: "customer_created", op: "after", value: "2025-06-01" },
        { field: "customer_created", op: "before", value: "2026-03-01" },
      ],
    },
    "subscribed in a city": {
      and: [
        { field: "email_marketing", op: "in", value: ["SUBSCRIBED"] },
        { field: "city", op: "in", value: [city.toUpperCase()] },
      ],
    },
    "outside a province": { field: "province", op: "not_in", value: [province] },
    "likely buyers, not overdue": {
      and: [
        { field: "expected_orders_90d", op: ">=", value: 0.05 },
        { not: { field: "days_overdue", op: ">", value: 0 } },
      ],
    },
    "still around or valuable": {
      or: [
        { field: "p_alive", op: ">", value: 0.5 },
        { field: "predicted_clv", op: ">=", value: 10_000 },
      ],
    },
    "no prediction (never bought) or overdue": {
      not: { field: "days_overdue", op: "<", value: 10 },
    },
    "tags all / none": {
      or: [
        { field: "tags", op: "has_all", value: [tag, otherTag] },
        { field: "tags", op: "has_none", value: [tag, otherTag] },
      ],
    },
  };

  for (const [label, input] of Object.entries(rules))
    it(label, async () => {
      const validation = validateRule(input);
      expect(validation.ok).toBe(true);
      if (!validation.ok) return;
      const expected = customers
        .filter((c) => naiveMatch(validation.rule, c))
        .map((c) => customerGid(c.id))
        .sort();
      const [actual] = matchedOrThrow(
        await customersMatching(prisma, shop, [compileRule(validation.rule, { shop, asOf })]),
      );
      expect([...actual].sort()).toEqual(expected);
      // The per-customer form (incremental recompute) agrees, checked on a slice of customers.
      const slice = customers.slice(0, 60).map((c) => customerGid(c.id));
      const [perCustomer] = matchedOrThrow(
        await customersMatching(
          prisma,
          shop,
          [compileRule(validation.rule, { shop, asOf, strategy: "per-customer" })],
          slice,
        ),
      );
      expect([...perCustomer].sort()).toEqual(expected.filter((id) => slice.includes(id)));
      const preview = await previewRule(shop, input, asOf);
      expect(preview).toEqual({ ok: true, count: expected.length, total: customers.length });
    });

  it("evaluates many rules in one pass, each with its own parameters", async () => {
    const parsed = Object.values(rules).map((input) => {
      const validation = validateRule(input);
      if (!validation.ok) throw new Error("invalid test rule");
      return validation.rule;
    });
    const expected = parsed.map((rule) =>
      customers
        .filter((c) => naiveMatch(rule, c))
        .map((c) => customerGid(c.id))
        .sort(),
    );
    const wholeShop = matchedOrThrow(
      await customersMatching(
        prisma,
        shop,
        parsed.map((rule) => compileRule(rule, { shop, asOf })),
      ),
    );
    expect(wholeShop.map((ids) => [...ids].sort())).toEqual(expected);
    const slice = customers.slice(0, 60).map((c) => customerGid(c.id));
    const perCustomer = matchedOrThrow(
      await customersMatching(
        prisma,
        shop,
        parsed.map((rule) => compileRule(rule, { shop, asOf, strategy: "per-customer" })),
        slice,
      ),
    );
    expect(perCustomer.map((ids) => [...ids].sort())).toEqual(
      expected.map((ids) => ids.filter((id) => slice.includes(id))),
    );
  });

  it("exercises both matches and non-matches", async () => {
    // One after another, as the editor sends them: a shop runs only a few previews at once.
    const counts: number[] = [];
    for (const input of Object.values(rules)) {
      const preview = await previewRule(shop, input, asOf);
      counts.push(preview.ok ? preview.count : -1);
    }
    expect(
      counts.filter((count) => count > 0 && count < customers.length).length,
    ).toBeGreaterThanOrEqual(14);
  });

  it("binds hostile values as data", async () => {
    const preview = await previewRule(
      shop,
      { field: "tags", op: "has_any", value: ["x' OR 1=1 --", "%", "_"] },
      asOf,
    );
    expect(preview).toEqual({ ok: true, count: 0, total: customers.length });
  });
});
