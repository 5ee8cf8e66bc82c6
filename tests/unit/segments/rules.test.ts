import { describe, expect, it } from "vitest";
import {
  describeProblems,
  handleFromName,
  parseRule,
  usesPredictions,
  validateRule,
} from "~/domain/segments/rules";

function problemsOf(input: unknown) {
  const result = validateRule(input);
  if (result.ok) throw new Error("expected the rule to be refused");
  return result.problems;
}

describe("rule validation", () => {
  it("accepts a nested rule and normalises values", () => {
    const result = validateRule({
      and: [
        { field: "frequency", op: ">=", value: 2 },
        {
          or: [
            { field: "country", op: "in", value: ["us", "CA"] },
            { field: "tags", op: "has_any", value: "wholesale" },
          ],
        },
        { not: { field: "rfm_group", op: "in", value: ["dormant"] } },
        {
          field: "orders",
          op: ">=",
          value: 1,
          where: { products: ["42"], within_days: 30, discount: true },
        },
        { field: "email_marketing", op: "in", value: ["subscribed"] },
        { field: "customer_created", op: "after", value: "2026-01-01" },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rule).toEqual({
      and: [
        { field: "frequency", op: ">=", value: 2 },
        {
          or: [
            { field: "country", op: "in", value: ["US", "CA"] },
            { field: "tags", op: "has_any", value: ["wholesale"] },
          ],
        },
        { not: { field: "rfm_group", op: "in", value: ["dormant"] } },
        {
          field: "orders",
          op: ">=",
          value: 1,
          where: { products: ["gid://shopify/Product/42"], within_days: 30, discount: true },
        },
        { field: "email_marketing", op: "in", value: ["SUBSCRIBED"] },
        { field: "customer_created", op: "after", value: "2026-01-01T00:00:00.000Z" },
      ],
    });
  });

  it("refuses a misspelt field and suggests the right one", () => {
    expect(
      problemsOf({
        and: [
          { field: "frequency", op: ">", value: 1 },
          { field: "frequncy", op: ">", value: 1 },
        ],
      }),
    ).toEqual([
      { path: "and[1].field", message: 'Unknown field "frequncy". Did you mean "frequency"?' },
    ]);
  });

  it("refuses misspelt operators, settings, groups and groups keys with suggestions", () => {
    expect(problemsOf({ field: "monetary", op: "=>", value: 100 })[0].message).toMatch(
      /can't be compared with "=>"\. Did you mean ">="\?/,
    );
    expect(problemsOf({ field: "r", op: ">", vaule: 3 }).map((problem) => problem.message)).toEqual(
      [
        'Recency score (1–5) has an unknown setting "vaule". Did you mean "value"?',
        "Recency score (1–5) needs a number.",
      ],
    );
    expect(problemsOf({ field: "rfm_group", op: "in", value: ["champion"] })[0]).toEqual({
      path: "value[0]",
      message: '"champion" is not an RFM group. Did you mean "champions"?',
    });
    expect(problemsOf({ adn: [] })[0].message).toMatch(/Found "adn"\. Did you mean "and"\?/);
  });

  it("refuses out-of-range and mistyped values", () => {
    expect(problemsOf({ field: "f", op: "=", value: 6 })[0].message).toBe(
      "Frequency score (1–5) must be at most 5.",
    );
    expect(problemsOf({ field: "frequency", op: "=", value: "3" })[0].message).toBe(
      'Number of orders needs a number, not the text "3".',
    );
    expect(problemsOf({ field: "country", op: "in", value: ["Germany"] })[0].message).toMatch(
      /two-letter codes/,
    );
    expect(problemsOf({ and: [] })[0]).toEqual({
      path: "and",
      message: '"and" needs a list of at least one condition.',
    });
    expect(
      problemsOf({ field: "orders", op: ">=", value: 1, where: { vendor: ["x"] } })[0],
    ).toEqual({
      path: "where.vendor",
      message: 'The order filter has an unknown setting "vendor". Did you mean "vendors"?',
    });
  });

  it("reports bad JSON as a problem and joins problems for the command line", () => {
    const result = parseRule("{ field: frequency }");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeProblems(result.problems)).toMatch(/^The rule is not valid JSON/);
  });

  it("refuses days that do not exist and numbers beyond what a store can reach", () => {
    expect(problemsOf({ field: "customer_created", op: "before", value: "2026-02-30" })[0]).toEqual(
      {
        path: "value",
        message:
          'Customer created before needs a date such as "2026-01-31" (a day that exists, years 1900 to 2999).',
      },
    );
    expect(validateRule({ field: "customer_created", op: "after", value: "2024-02-29" }).ok).toBe(
      true,
    );
    expect(problemsOf({ field: "monetary", op: ">", value: 1e20 })[0].message).toBe(
      "Amount spent (cents) must be at most 1000000000000.",
    );
    expect(problemsOf({ field: "recency", op: "<", value: 1e9 })[0].message).toBe(
      "Days since last order must be at most 36500.",
    );
    expect(problemsOf({ field: "orders", op: ">=", value: 1e7 })[0].path).toBe("value");
  });

  it("refuses listed values the database would refuse: over 255 characters, control characters", () => {
    expect(validateRule({ field: "tags", op: "has_any", value: ["x".repeat(255)] }).ok).toBe(true);
    expect(problemsOf({ field: "tags", op: "has_any", value: ["x".repeat(256)] })[0]).toEqual({
      path: "value[0]",
      message: "Customer tags values are at most 255 characters long.",
    });
    expect(problemsOf({ field: "tags", op: "has_any", value: ["vip\u0000"] })[0].message).toMatch(
      /control characters/,
    );
    const where = { products: ["gid://shopify/Product/1\n"] };
    expect(problemsOf({ field: "orders", op: ">=", value: 1, where })[0].path).toBe(
      "where.products[0]",
    );
  });

  it("takes the prediction fields in their own units: shares, fractions of orders, cents, days", () => {
    const rule = {
      and: [
        { field: "expected_orders_90d", op: ">=", value: 0.35 },
        { field: "p_alive", op: "<", value: 0.2 },
        { field: "predicted_clv", op: ">", value: 25_000 },
        { not: { field: "days_overdue", op: ">=", value: -14 } },
      ],
    };
    const validation = validateRule(rule);
    expect(validation).toEqual({ ok: true, rule });
    expect(validation.ok && usesPredictions(validation.rule)).toBe(true);
    expect(problemsOf({ field: "p_alive", op: ">=", value: 50 })[0]).toEqual({
      path: "value",
      message: "Chance still a customer (0–1) must be at most 1.",
    });
    expect(problemsOf({ field: "predicted_clv", op: ">=", value: 10.5 })[0].message).toBe(
      "Predicted spend, next 365 days (cents) needs a whole number, not 10.5.",
    );
    expect(problemsOf({ field: "expected_orders_90d", op: ">=", value: -1 })[0].message).toBe(
      "Expected orders in the next 90 days must be at least 0.",
    );
    expect(problemsOf({ field: "days_overdue", op: "=", value: "soon" })[0].message).toBe(
      'Days overdue needs a number, not the text "soon".',
    );
    expect(problemsOf({ field: "p_alive", op: "=>", value: 0.5 })[0].message).toMatch(
      /Did you mean ">="\?/,
    );
    expect(usesPredictions({ field: "recency", op: ">", value: 5 })).toBe(false);
    expect(
      usesPredictions({
        or: [{ field: "r", op: ">=", value: 4 }, { not: { field: "p_alive", op: ">", value: 0 } }],
      }),
    ).toBe(true);
  });

  it("derives handles from names", () => {
    expect(handleFromName("  Big spenders in Zürich! ")).toBe("big-spenders-in-zurich");
  });
});
