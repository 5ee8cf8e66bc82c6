import { describe, expect, it } from "vitest";
import {
  explainMembership,
  ordersConditionPaths,
  type CustomerFacts,
  type ExplainContext,
  type ExplanationNode,
} from "~/domain/segments/explain";
import { lifecycleSegmentsFor, LIFECYCLE_SEGMENTS } from "~/domain/segments/lifecycle";
import { DAY_MS, RFM_GROUP_HANDLES, rfmGroupFor } from "~/domain/segments/rfm";
import { predictionSegmentRule } from "~/domain/segments/prediction-segments";
import { validateRule, type RuleNode } from "~/domain/segments/rules";
import { segmentRule } from "~/domain/segments/segment-rule";
import { DEFAULT_SHOP_SETTINGS } from "~/domain/settings";

const asOf = new Date("2026-06-01T12:00:00Z");
const context: ExplainContext = {
  asOf,
  thresholds: { newBuyerDays: 30, lapsedDays: 90, vipPercentile: 0.9, discountSeekerShare: 0.5 },
  money: (cents) => `€${(Number(cents) / 100).toFixed(2)}`,
  date: (at) => at.toISOString().slice(0, 10),
};

function facts(overrides: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    orders: 3,
    spentCents: 12_500n,
    discountOrders: 1,
    firstOrderAt: new Date(asOf.getTime() - 200 * DAY_MS),
    lastOrderAt: new Date(asOf.getTime() - 10 * DAY_MS),
    r: 5,
    f: 4,
    m: 4,
    rfmGroup: "champions",
    createdAt: new Date("2025-01-15T00:00:00Z"),
    tags: "VIP, wholesale",
    countryCode: "DE",
    provinceCode: null,
    city: "Berlin",
    emailMarketingState: "SUBSCRIBED",
    spendBelowShare: 0.95,
    ...overrides,
  };
}

const leaves = (node: ExplanationNode): { label: string; actual: string; met: boolean }[] =>
  node.kind === "condition" ? [node] : node.children.flatMap(leaves);

function rule(input: unknown): RuleNode {
  const result = validateRule(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.rule;
}

describe("explainMembership: RFM groups", () => {
  it("agrees with rfmGroupFor for every score combination and every group", () => {
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) {
          const group = rfmGroupFor({ r, f, m });
          for (const handle of RFM_GROUP_HANDLES) {
            const explanation = explainMembership(
              { kind: "rfm", handle, rule: null },
              facts({ r, f, m, rfmGroup: group }),
              context,
            );
            expect(explanation.met, `${handle} at R${r} F${f} M${m}`).toBe(handle === group);
          }
        }
  });

  it("names the condition that is not met and shows the customer's scores", () => {
    const explanation = explainMembership(
      { kind: "rfm", handle: "champions", rule: null },
      facts({ r: 4, f: 5, m: 4 }),
      context,
    );
    expect(leaves(explanation)).toEqual([
      { kind: "condition", label: "Recency score R is 5", actual: "R = 4", met: false },
      {
        kind: "condition",
        label: "Average of F and M is at least 4",
        actual: "(F 5 + M 4) / 2 = 4.5",
        met: true,
      },
    ]);
  });

  it("a customer without orders is a prospect and meets no other group", () => {
    const none = facts({ orders: 0, r: null, f: null, m: null, lastOrderAt: null });
    expect(
      explainMembership({ kind: "rfm", handle: "prospects", rule: null }, none, context).met,
    ).toBe(true);
    const dormant = explainMembership(
      { kind: "rfm", handle: "dormant", rule: null },
      none,
      context,
    );
    expect(dormant.met).toBe(false);
    expect(leaves(dormant)[0].actual).toBe("no score (no counted order)");
  });
});

describe("explainMembership: lifecycle segments", () => {
  const cases: Partial<CustomerFacts>[] = [
    {},
    { orders: 1, discountOrders: 0, firstOrderAt: new Date(asOf.getTime() - 5 * DAY_MS) },
    { orders: 4, discountOrders: 3, spendBelowShare: 0.5 },
    { lastOrderAt: new Date(asOf.getTime() - 91 * DAY_MS) },
    { lastOrderAt: new Date(asOf.getTime() - 90 * DAY_MS - 3600_000) },
    { firstOrderAt: new Date(asOf.getTime() - 30 * DAY_MS) },
    { spendBelowShare: 0.9 },
  ];

  it.each(cases)("agrees with lifecycleSegmentsFor (%o)", (overrides) => {
    const customer = facts(overrides);
    const expected = lifecycleSegmentsFor(
      {
        orders: customer.orders,
        spentCents: customer.spentCents,
        discountOrders: customer.discountOrders,
        firstOrderAt: customer.firstOrderAt,
        lastOrderAt: customer.lastOrderAt,
      },
      {
        r: customer.r!,
        f: customer.f!,
        m: customer.m!,
        recencyDays: Math.floor((asOf.getTime() - customer.lastOrderAt!.getTime()) / DAY_MS),
        spendBelowShare: customer.spendBelowShare!,
      },
      context.thresholds,
      asOf,
    );
    for (const { handle } of LIFECYCLE_SEGMENTS)
      expect(
        explainMembership({ kind: "lifecycle", handle, rule: null }, customer, context).met,
        handle,
      ).toBe((expected as string[]).includes(handle));
  });

  it("shows the spend in the shop currency and the share of buyers below it", () => {
    const vip = explainMembership(
      { kind: "lifecycle", handle: "vip", rule: null },
      facts({ spendBelowShare: 0.8 }),
      context,
    );
    expect(vip.met).toBe(false);
    expect(leaves(vip)).toEqual([
      expect.objectContaining({ label: "Two or more counted orders", met: true }),
      {
        kind: "condition",
        label: "Spend at or above the 90% percentile of buyers",
        actual: "€125.00: more than 80% of buyers",
        met: false,
      },
    ]);
  });
});

describe("explainMembership: custom rules", () => {
  it("walks AND / OR / NOT and reports each condition with the customer's value", () => {
    const definition = {
      kind: "custom",
      handle: "berlin-vips",
      rule: rule({
        and: [
          { field: "city", op: "in", value: ["berlin"] },
          {
            or: [
              { field: "monetary", op: ">=", value: 20000 },
              { field: "tags", op: "has_any", value: ["vip"] },
            ],
          },
          { not: { field: "recency", op: ">", value: 30 } },
        ],
      }),
    };
    const explanation = explainMembership(definition, facts(), context);
    expect(explanation.met).toBe(true);
    expect(leaves(explanation).map((leaf) => [leaf.label, leaf.actual, leaf.met])).toEqual([
      ["City is berlin", "Berlin", true],
      ["Amount spent is at least €200.00", "€125.00", false],
      ["Has any of the tags vip", "VIP, wholesale", true],
      ["Days since last order is more than 30", "10", false],
    ]);
    expect(explainMembership(definition, facts({ tags: "" }), context).met).toBe(false);
  });

  it("is two-valued like the SQL: a missing score fails a comparison, and NOT of it passes", () => {
    const noScore = facts({ orders: 0, r: null, f: null, m: null, lastOrderAt: null });
    const atLeast = rule({ field: "r", op: ">=", value: 4 });
    expect(
      explainMembership({ kind: "custom", handle: "x", rule: atLeast }, noScore, context).met,
    ).toBe(false);
    expect(
      explainMembership({ kind: "custom", handle: "x", rule: { not: atLeast } }, noScore, context)
        .met,
    ).toBe(true);
    const notIn = rule({ field: "country", op: "not_in", value: ["US"] });
    expect(
      explainMembership(
        { kind: "custom", handle: "x", rule: notIn },
        facts({ countryCode: null }),
        context,
      ).met,
    ).toBe(true);
  });

  it("takes order conditions from the caller by path, and says so when they were not checked", () => {
    const tree = rule({
      and: [
        { field: "frequency", op: ">=", value: 2 },
        { field: "orders", op: ">=", value: 1, where: { within_days: 30, discount: true } },
      ],
    });
    expect(ordersConditionPaths(tree).map((entry) => entry.path)).toEqual(["and[1]"]);
    const definition = { kind: "custom", handle: "x", rule: tree };
    const checked = explainMembership(definition, facts(), {
      ...context,
      ordersMet: { "and[1]": true },
    });
    expect(checked.met).toBe(true);
    expect(leaves(checked)[1].label).toBe(
      "Orders in the last 30 days with a discount code is at least 1",
    );
    const unchecked = explainMembership(definition, facts(), context);
    expect(unchecked.met).toBe(false);
    expect(leaves(unchecked)[1].actual).toBe("not checked");
  });

  it("compares creation dates and day windows against the as-of instant", () => {
    const within = rule({ field: "customer_created", op: "within_days", value: 30 });
    const recent = facts({ createdAt: new Date(asOf.getTime() - 29 * DAY_MS) });
    expect(
      explainMembership({ kind: "custom", handle: "x", rule: within }, recent, context).met,
    ).toBe(true);
    expect(
      explainMembership({ kind: "custom", handle: "x", rule: within }, facts(), context).met,
    ).toBe(false);
    const before = rule({ field: "customer_created", op: "before", value: "2025-02-01" });
    const explanation = explainMembership(
      { kind: "custom", handle: "x", rule: before },
      facts(),
      context,
    );
    expect(leaves(explanation)[0]).toEqual({
      kind: "condition",
      label: "Customer created before 2025-02-01",
      actual: "2025-01-15",
      met: true,
    });
  });
});

describe("explainMembership: predictions", () => {
  const predicted = (overrides: Partial<NonNullable<CustomerFacts["prediction"]>> = {}) =>
    facts({
      prediction: {
        method: "model",
        current: true,
        expectedOrders90d: 0.8,
        pAlive: 0.35,
        predictedSpend365dCents: 12_345,
        daysOverdue: 42.4,
        ...overrides,
      },
    });

  it("checks the built-in segments' rules under the shop's thresholds, value by value", () => {
    const thresholds = { ...DEFAULT_SHOP_SETTINGS, slippingAwayOverdueDays: 40 };
    const slipping = predictionSegmentRule("slipping-away", thresholds)!;
    const explained = explainMembership(
      { kind: "prediction", handle: "slipping-away", rule: slipping },
      predicted(),
      context,
    );
    expect(explained.met).toBe(true);
    expect(leaves(explained)).toEqual([
      { kind: "condition", label: "Number of orders is at least 2", actual: "3", met: true },
      { kind: "condition", label: "Days overdue is at least 40", actual: "42", met: true },
      {
        kind: "condition",
        label: "Chance still a customer is at least 20%",
        actual: "35%",
        met: true,
      },
    ]);
    const likely = predictionSegmentRule("likely-to-buy-soon", thresholds)!;
    expect(
      leaves(
        explainMembership(
          { kind: "prediction", handle: "likely-to-buy-soon", rule: likely },
          predicted({ method: "heuristic", expectedOrders90d: 0.25 }),
          context,
        ),
      ),
    ).toEqual([
      {
        kind: "condition",
        label: "Expected orders in the next 90 days is at least 0.5",
        actual: "0.25",
        met: false,
      },
    ]);
    // Under the heuristic p_alive is the buy-soon score, and is named so.
    const score = rule({ field: "p_alive", op: ">=", value: 0.5 });
    expect(
      leaves(
        explainMembership(
          { kind: "custom", handle: "x", rule: score },
          predicted({ method: "heuristic" }),
          context,
        ),
      )[0].label,
    ).toBe("Buy-soon score is at least 50%");
    expect(predictionSegmentRule("champions", thresholds)).toBeNull();
  });

  it("is two-valued like the SQL: no prediction (or no interval) fails, and NOT of it passes", () => {
    const overdue = rule({ field: "days_overdue", op: ">", value: 0 });
    const none = explainMembership(
      { kind: "custom", handle: "x", rule: overdue },
      facts(),
      context,
    );
    expect(leaves(none)[0]).toMatchObject({
      met: false,
      actual: "no prediction (no counted order at the last refresh)",
    });
    expect(
      explainMembership({ kind: "custom", handle: "x", rule: { not: overdue } }, facts(), context)
        .met,
    ).toBe(true);
    const noInterval = predicted({ daysOverdue: null });
    expect(
      leaves(
        explainMembership({ kind: "custom", handle: "x", rule: overdue }, noInterval, context),
      )[0],
    ).toMatchObject({
      met: false,
      actual: "no usual interval yet",
    });
    // A customer who ordered since the refresh has no current prediction: out of slipping away.
    const stale = predicted({ current: false });
    expect(
      leaves(explainMembership({ kind: "custom", handle: "x", rule: overdue }, stale, context))[0],
    ).toMatchObject({
      met: false,
      actual: "none current: they ordered since the last refresh",
    });
    const spend = rule({ field: "predicted_clv", op: ">=", value: 10_000 });
    expect(
      leaves(
        explainMembership({ kind: "custom", handle: "x", rule: spend }, predicted(), context),
      )[0],
    ).toMatchObject({
      label: "Predicted spend in the next 365 days is at least €100.00",
      actual: "€123.45",
      met: true,
    });
  });

  it("gives rules to custom and prediction segments only", () => {
    const settings = DEFAULT_SHOP_SETTINGS;
    expect(segmentRule({ kind: "rfm", handle: "champions", rule: null }, settings)).toBeNull();
    expect(segmentRule({ kind: "lifecycle", handle: "vip", rule: null }, settings)).toBeNull();
    expect(
      segmentRule({ kind: "prediction", handle: "likely-to-buy-soon", rule: null }, settings),
    ).toEqual({
      ok: true,
      rule: { field: "expected_orders_90d", op: ">=", value: 0.5 },
    });
    expect(segmentRule({ kind: "prediction", handle: "gone", rule: null }, settings)?.ok).toBe(
      false,
    );
    expect(segmentRule({ kind: "custom", handle: "x", rule: "{" }, settings)?.ok).toBe(false);
  });
});
