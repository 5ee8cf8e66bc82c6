// Every rule the validator accepts is evaluated without error on the database, at the size limits
// (depth, conditions, list lengths, extreme numbers and dates), alone and several together in one
// evaluation, as a recompute does. Generated from seeds, so a failure names a reproducible input.
import { beforeAll, describe, expect, it } from "vitest";
import { RFM_GROUP_HANDLES } from "~/domain/segments/rfm";
import {
  EMAIL_MARKETING_STATES,
  NUMBER_FIELDS,
  NUMBER_OPS,
  PREDICTION_FIELDS,
  validateRule,
  type RuleNode,
} from "~/domain/segments/rules";
import { countForPreview, customersMatching } from "~/models/segment-rules.server";
import prisma from "~/db.server";
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { recomputeShop } from "~/segments/recompute.server";
import { compileRule } from "~/segments/rule-sql";
import { generateStore, Random } from "@persegment/shopify-stand-in";
import { matchedOrThrow } from "../../support/rule-matches";
import { testShop } from "../../support/shopify-requests";
import { insertGeneratedStore } from "../../support/store-rows";

const asOf = new Date("2026-11-20T00:00:00Z");
const shop = testShop("rules-limits");
let customerIds: string[] = [];

const EXTREME_NUMBERS = [0, 1, 5, 365, 36_500, 1e6, 1e9, 1e15, 1e20, Number.MAX_SAFE_INTEGER];
const EXTREME_DATES = ["1900-01-01", "1970-01-01", "2026-02-28", "2200-12-31", "9999-12-31"];

function list(random: Random, make: (index: number) => string) {
  const length = random.pick([1, 2, 250]);
  return Array.from({ length }, (_, index) => make(index));
}

function condition(random: Random): unknown {
  const field = random.pick([
    ...NUMBER_FIELDS,
    ...PREDICTION_FIELDS,
    "rfm_group",
    "country",
    "province",
    "city",
    "email_marketing",
    "tags",
    "customer_created",
    "orders",
  ]);
  const number = () => random.pick(EXTREME_NUMBERS);
  switch (field) {
    case "r":
    case "f":
    case "m":
      return { field, op: random.pick(NUMBER_OPS), value: random.int(1, 5) };
    case "frequency":
    case "monetary":
    case "recency":
      return { field, op: random.pick(NUMBER_OPS), value: number() };
    case "expected_orders_90d":
    case "p_alive":
    case "predicted_clv":
    case "days_overdue":
      return {
        field,
        op: random.pick(NUMBER_OPS),
        value: random.pick([-number(), 0.5, 1, number()]),
      };
    case "rfm_group":
      return { field, op: "in", value: list(random, () => random.pick(RFM_GROUP_HANDLES)) };
    case "email_marketing":
      return {
        field,
        op: "not_in",
        value: list(random, () => random.pick(EMAIL_MARKETING_STATES)),
      };
    case "country":
      return {
        field,
        op: "in",
        value: list(random, (i) => String.fromCharCode(65 + (i % 26), 65 + ((i * 7) % 26))),
      };
    case "province":
    case "city":
      return {
        field,
        op: random.pick(["in", "not_in"]),
        value: list(random, (i) => `Place %_\\'${i}`),
      };
    case "tags":
      return {
        field,
        op: random.pick(["has_any", "has_all", "has_none"]),
        value: list(random, (i) => `tag '%_${i}`),
      };
    case "customer_created":
      return random.chance(0.5)
        ? { field, op: "within_days", value: number() }
        : { field, op: random.pick(["before", "after"]), value: random.pick(EXTREME_DATES) };
    default:
      return {
        field: "orders",
        op: random.pick(NUMBER_OPS),
        value: number(),
        where: {
          products: list(random, (i) => String(1000 + i)),
          product_types: list(random, (i) => `type ${i}`),
          vendors: list(random, (i) => `vendor ${i}`),
          collections: list(random, (i) => String(7 + i)),
          channels: list(random, (i) => `channel ${i}`),
          within_days: number(),
          discount: random.chance(0.5),
        },
      };
  }
}

/** A tree as deep and as wide as the validator allows (or a little beyond, to probe the edge). */
function tree(random: Random, depth: number, budget: { conditions: number }): unknown {
  if (depth >= 6 || budget.conditions <= 1 || random.chance(0.15)) {
    budget.conditions -= 1;
    return condition(random);
  }
  if (random.chance(0.15)) return { not: tree(random, depth + 1, budget) };
  const width = random.int(2, 8);
  const children = Array.from({ length: width }, () => tree(random, depth + 1, budget));
  return random.chance(0.5) ? { and: children } : { or: children };
}

function acceptedRules(seed: number, count: number) {
  const random = new Random(seed);
  const rules: RuleNode[] = [];
  for (let attempt = 0; rules.length < count && attempt < count * 50; attempt++) {
    const validation = validateRule(tree(random, 0, { conditions: 50 }));
    if (validation.ok) rules.push(validation.rule);
  }
  return rules;
}

beforeAll(async () => {
  await insertGeneratedStore(shop, generateStore({ customers: 60, seed: 5, now: asOf }));
  await recomputeShop(shop, { asOf });
  await recordInstall(shop, "");
  await recordShopLocale(shop, { ianaTimezone: "UTC", currencyCode: "USD" });
  await refreshPredictions(shop, { asOf });
  customerIds = (await prisma.customer.findMany({ where: { shop }, select: { id: true } })).map(
    (customer) => customer.id,
  );
});

describe("rules at the validator's limits", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: every accepted rule evaluates", async (seed) => {
    const rules = acceptedRules(seed, 6);
    expect(rules.length).toBeGreaterThan(0);
    const wholeShop = rules.map((rule) => compileRule(rule, { shop, asOf }));
    for (const predicate of wholeShop) await countForPreview(shop, predicate, 60_000);
    // Together, as a full recompute and a webhook's recompute evaluate a shop's rules.
    matchedOrThrow(await customersMatching(prisma, shop, wholeShop));
    const perCustomer = rules.map((rule) =>
      compileRule(rule, { shop, asOf, strategy: "per-customer" }),
    );
    matchedOrThrow(await customersMatching(prisma, shop, perCustomer, customerIds.slice(0, 25)));
  });

  it("refuses a rule listing more values than one statement can bind, saying why", () => {
    const validation = validateRule({
      and: Array.from({ length: 5 }, () => ({
        field: "tags",
        op: "has_any",
        value: Array.from({ length: 250 }, (_, i) => `tag-${i}`),
      })),
    });
    expect(validation.ok).toBe(false);
    if (!validation.ok) expect(validation.problems[0].message).toMatch(/at most 1000 values/);
  });

  it("forty of the largest rules the validator accepts evaluate together", async () => {
    const values = (prefix: string) => Array.from({ length: 5 }, (_, i) => `${prefix}${i}`);
    const largest = {
      and: Array.from({ length: 50 }, (_, i) => ({
        field: "orders",
        op: ">=",
        value: 1,
        where: {
          products: values(String(100 + i)),
          product_types: values("type "),
          vendors: values("vendor "),
          collections: values(String(200 + i)),
          within_days: 365,
        },
      })),
    };
    const validation = validateRule(largest);
    expect(validation.ok).toBe(true);
    if (!validation.ok) return;
    const many = (strategy: "whole-shop" | "per-customer") =>
      Array.from({ length: 40 }, () => compileRule(validation.rule, { shop, asOf, strategy }));
    expect(many("whole-shop").reduce((sum, p) => sum + p.params.length, 0)).toBeGreaterThan(40_000);
    const all = matchedOrThrow(await customersMatching(prisma, shop, many("whole-shop")));
    const some = matchedOrThrow(
      await customersMatching(prisma, shop, many("per-customer"), customerIds),
    );
    expect(all).toHaveLength(40);
    expect(some.map((members) => members.size)).toEqual(all.map((members) => members.size));
  });
});
