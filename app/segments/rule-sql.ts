/**
 * Compiles a validated rule tree into one SQL predicate over `"Customer" c`, with every value
 * bound as a parameter (`?` placeholders, numbered for PostgreSQL by the model layer). The same
 * text runs on SQLite and PostgreSQL: only portable syntax (EXISTS, IN, LIKE … ESCAPE, ||, CASE).
 *
 * Each condition is two-valued (never NULL), so NOT behaves as a merchant expects: "not R ≥ 4"
 * includes customers without an R score.
 */
import { DAY_MS } from "~/domain/segments/rfm";
import type { Condition, NumberOp, OrderFilter, RuleNode } from "~/domain/segments/rules";

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const SQL_OPS: Record<NumberOp, string> = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

const NUMBER_COLUMNS = {
  frequency: 'c."orders"',
  monetary: 'c."spentCents"',
  r: 'c."r"',
  f: 'c."f"',
  m: 'c."m"',
} as const;

/** The stored predictions' columns (CustomerPrediction, one row per customer of the last refresh). */
const PREDICTION_COLUMNS = {
  expected_orders_90d: '"expectedOrders90d"',
  p_alive: '"pAlive"',
  predicted_clv: '"predictedSpend365dCents"',
  days_overdue: '"daysOverdue"',
} as const;

const LIST_COLUMNS = {
  rfm_group: 'c."rfmGroup"',
  country: 'c."countryCode"',
  province: 'c."provinceCode"',
  city: 'LOWER(c."city")',
  email_marketing: 'c."emailMarketingState"',
} as const;

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** "value is one element of a comma-joined list column", case-insensitive. */
function listContains(column: string, value: string, params: unknown[]) {
  params.push(`%,${escapeLike(value.toLowerCase())},%`);
  return `(',' || LOWER(REPLACE(${column}, ', ', ',')) || ',') LIKE ? ESCAPE '\\'`;
}

class Compiler {
  params: unknown[] = [];
  constructor(
    private readonly shop: string,
    private readonly asOf: Date,
    private readonly strategy: RuleStrategy,
  ) {}

  bind(value: unknown) {
    this.params.push(value);
    return "?";
  }

  list(values: readonly unknown[]) {
    return values.map((value) => this.bind(value)).join(", ");
  }

  daysBefore(days: number) {
    return new Date(this.asOf.getTime() - days * DAY_MS);
  }

  node(node: RuleNode): string {
    if ("and" in node) return `(${node.and.map((child) => this.node(child)).join(" AND ")})`;
    if ("or" in node) return `(${node.or.map((child) => this.node(child)).join(" OR ")})`;
    if ("not" in node) return `(NOT ${this.node(node.not)})`;
    return this.condition(node);
  }

  condition(condition: Condition): string {
    switch (condition.field) {
      case "frequency":
      case "monetary":
      case "r":
      case "f":
      case "m": {
        const column = NUMBER_COLUMNS[condition.field];
        const value = condition.field === "monetary" ? BigInt(condition.value) : condition.value;
        return `(${column} IS NOT NULL AND ${column} ${SQL_OPS[condition.op]} ${this.bind(value)})`;
      }
      case "recency":
        return this.recency(condition.op, condition.value);
      case "expected_orders_90d":
      case "p_alive":
      case "predicted_clv":
      case "days_overdue":
        return this.prediction(PREDICTION_COLUMNS[condition.field], condition.op, condition.value);
      case "rfm_group":
      case "country":
      case "province":
      case "city":
      case "email_marketing": {
        const column = LIST_COLUMNS[condition.field];
        const values =
          condition.field === "city"
            ? condition.value.map((value) => value.toLowerCase())
            : condition.value;
        return condition.op === "in"
          ? `(${column} IS NOT NULL AND ${column} IN (${this.list(values)}))`
          : `(${column} IS NULL OR ${column} NOT IN (${this.list(values)}))`;
      }
      case "tags": {
        const tests = condition.value.map((tag) => listContains('c."tags"', tag, this.params));
        if (condition.op === "has_any") return `(${tests.join(" OR ")})`;
        if (condition.op === "has_all") return `(${tests.join(" AND ")})`;
        return `(NOT (${tests.join(" OR ")}))`;
      }
      case "customer_created":
        if (condition.op === "within_days")
          return `(c."createdAt" >= ${this.bind(this.daysBefore(condition.value))})`;
        return `(c."createdAt" ${condition.op === "before" ? "<" : ">="} ${this.bind(new Date(condition.value))})`;
      case "orders":
        return this.orders(condition.op, condition.value, condition.where ?? {});
    }
  }

  /**
   * R_raw = floor((asOf − lastOrderAt) / day), so "R_raw ≥ N" is "lastOrderAt ≤ asOf − N days":
   * comparing timestamps with bound instants keeps date arithmetic out of the SQL dialects.
   */
  recency(op: NumberOp, days: number): string {
    const atLeast = (n: number) => `c."lastOrderAt" <= ${this.bind(this.daysBefore(n))}`;
    const below = (n: number) => `c."lastOrderAt" > ${this.bind(this.daysBefore(n))}`;
    const compare = {
      ">": () => atLeast(days + 1),
      ">=": () => atLeast(days),
      "<": () => below(days),
      "<=": () => below(days + 1),
      "=": () => `${atLeast(days)} AND ${below(days + 1)}`,
      "!=": () => `(${below(days)} OR ${atLeast(days + 1)})`,
    }[op]();
    return `(c."lastOrderAt" IS NOT NULL AND ${compare})`;
  }

  /**
   * A comparison with the customer's stored prediction: false without a current one (none, one
   * made before the customer's latest order, or a NULL value), so NOT selects those customers,
   * as with R/F/M scores.
   */
  prediction(column: string, op: NumberOp, value: number): string {
    if (this.strategy === "per-customer")
      return `EXISTS (SELECT 1 FROM "CustomerPrediction" p WHERE p."shop" = c."shop" AND p."customerId" = c."id" AND p."lastOrderAt" = c."lastOrderAt" AND p.${column} ${SQL_OPS[op]} ${this.bind(value)})`;
    const shop = this.bind(this.shop);
    return `(c."id" IN (SELECT p."customerId" FROM "CustomerPrediction" p JOIN "Customer" k ON k."shop" = p."shop" AND k."id" = p."customerId" AND k."lastOrderAt" = p."lastOrderAt" WHERE p."shop" = ${shop} AND p.${column} ${SQL_OPS[op]} ${this.bind(value)}))`;
  }

  orders(op: NumberOp, count: number, where: OrderFilter): string {
    const zeroMatches = compareNumbers(0, op, count);
    if (this.strategy === "per-customer") {
      // Few customers: a correlated subquery per customer. The date filter is wrapped in
      // COALESCE so neither planner prefers the shop-wide processedAt index over the
      // (shop, customerId) one, which would scan every recent order of the shop per customer.
      const matching = `FROM "Order" o WHERE o."shop" = c."shop" AND o."customerId" = c."id" AND ${this.orderFilters(where, 'COALESCE(o."processedAt", o."processedAt")')}`;
      if ((op === ">=" && count === 1) || (op === ">" && count === 0))
        return `EXISTS (SELECT 1 ${matching})`;
      if (
        zeroMatches &&
        ((op === "=" && count === 0) || (op === "<" && count === 1) || (op === "<=" && count === 0))
      )
        return `NOT EXISTS (SELECT 1 ${matching})`;
      return `((SELECT COUNT(*) ${matching}) ${SQL_OPS[op]} ${this.bind(count)})`;
    }
    // Whole shop: one uncorrelated set of matching customers, which both databases compute once
    // (hashed semi-join) instead of once per customer.
    // Placeholders are bound in the order they appear in the text.
    const shop = this.bind(this.shop);
    const filters = this.orderFilters(where, 'o."processedAt"');
    const having = zeroMatches
      ? `NOT (COUNT(*) ${SQL_OPS[op]} ${this.bind(count)})`
      : `COUNT(*) ${SQL_OPS[op]} ${this.bind(count)}`;
    const customers = `SELECT o."customerId" FROM "Order" o WHERE o."shop" = ${shop} AND o."customerId" IS NOT NULL AND ${filters} GROUP BY o."customerId" HAVING ${having}`;
    // Customers without any matching order have a count of 0; when 0 satisfies the comparison
    // they belong, so the rule is "not among those whose count fails it".
    return zeroMatches ? `(c."id" NOT IN (${customers}))` : `(c."id" IN (${customers}))`;
  }

  orderFilters(where: OrderFilter, processedAt: string) {
    const filters = [
      'o."cancelledAt" IS NULL',
      'o."test" = false',
      `${processedAt} <= ${this.bind(this.asOf)}`,
    ];
    if (where.within_days !== undefined)
      filters.push(`${processedAt} >= ${this.bind(this.daysBefore(where.within_days))}`);
    if (where.discount !== undefined)
      filters.push(where.discount ? `o."discountCodes" <> ''` : `o."discountCodes" = ''`);
    if (where.channels) filters.push(`o."sourceName" IN (${this.list(where.channels)})`);
    if (this.strategy === "per-customer") {
      const lineFilters: string[] = [];
      if (where.products) lineFilters.push(`li."productId" IN (${this.list(where.products)})`);
      lineFilters.push(...this.productFilters(where));
      if (lineFilters.length > 0) {
        const needsProduct = where.product_types || where.vendors || where.collections;
        const join = needsProduct
          ? ' JOIN "Product" p ON p."shop" = li."shop" AND p."id" = li."productId"'
          : "";
        filters.push(
          `EXISTS (SELECT 1 FROM "LineItem" li${join} WHERE li."shop" = o."shop" AND li."orderId" = o."id" AND ${lineFilters.join(" AND ")})`,
        );
      }
    } else if (where.products || where.product_types || where.vendors || where.collections) {
      // Whole shop: from the (few) matching products through the (shop, productId) index to
      // their orders, rather than joining every line item of the shop to its product.
      const lineShop = this.bind(this.shop);
      const lineFilters: string[] = [];
      if (where.products) lineFilters.push(`li."productId" IN (${this.list(where.products)})`);
      if (where.product_types || where.vendors || where.collections) {
        const productShop = this.bind(this.shop);
        lineFilters.push(
          `li."productId" IN (SELECT p."id" FROM "Product" p WHERE p."shop" = ${productShop} AND ${this.productFilters(where).join(" AND ")})`,
        );
      }
      filters.push(
        `o."id" IN (SELECT li."orderId" FROM "LineItem" li WHERE li."shop" = ${lineShop} AND ${lineFilters.join(" AND ")})`,
      );
    }
    return filters.join(" AND ");
  }

  productFilters(where: OrderFilter) {
    const filters: string[] = [];
    if (where.product_types) filters.push(`p."productType" IN (${this.list(where.product_types)})`);
    if (where.vendors) filters.push(`p."vendor" IN (${this.list(where.vendors)})`);
    if (where.collections)
      filters.push(
        `(${where.collections.map((id) => listContains('p."collections"', id, this.params)).join(" OR ")})`,
      );
    return filters;
  }
}

function compareNumbers(a: number, op: NumberOp, b: number) {
  return { "=": a === b, "!=": a !== b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[op];
}

/**
 * Whole-shop evaluation uses set subqueries (computed once); `per-customer` uses correlated
 * subqueries, which are cheaper when the predicate is checked for a handful of customers
 * (incremental recompute).
 */
export type RuleStrategy = "whole-shop" | "per-customer";

/** The rule as a predicate over `"Customer" c` of the shop, evaluated at `asOf`. */
export function compileRule(
  rule: RuleNode,
  context: { shop: string; asOf: Date; strategy?: RuleStrategy },
): SqlFragment {
  const compiler = new Compiler(context.shop, context.asOf, context.strategy ?? "whole-shop");
  const sql = compiler.node(rule);
  return { sql, params: compiler.params };
}
