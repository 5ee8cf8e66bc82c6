/**
 * Custom segment rules (PRODUCT.md §4): a tree of AND / OR / NOT over conditions, stored as JSON
 * on the segment. `validateRule` accepts unknown input and either returns a typed rule or a list
 * of problems phrased for a merchant, each with the path of the part that is wrong.
 */
import { parseCalendarTime } from "../dates";
import { RFM_GROUP_HANDLES } from "./rfm";

export const NUMBER_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
export type NumberOp = (typeof NUMBER_OPS)[number];

export const NUMBER_FIELDS = ["frequency", "monetary", "recency", "r", "f", "m"] as const;
/**
 * The stored predictions of the shop's latest refresh (PRODUCT.md §9); a customer without one
 * (no counted order at that refresh) matches no comparison. `predicted_clv` is in cents, like
 * `monetary`; `p_alive` is a share (0–1): under the heuristic it holds the buy-soon score.
 */
export const PREDICTION_FIELDS = [
  "expected_orders_90d",
  "p_alive",
  "predicted_clv",
  "days_overdue",
] as const;
export type PredictionField = (typeof PREDICTION_FIELDS)[number];
export const LIST_FIELDS = ["rfm_group", "country", "province", "city", "email_marketing"] as const;
export const EMAIL_MARKETING_STATES = [
  "SUBSCRIBED",
  "NOT_SUBSCRIBED",
  "UNSUBSCRIBED",
  "PENDING",
  "REDACTED",
  "INVALID",
] as const;

export type NumberCondition = {
  field: (typeof NUMBER_FIELDS)[number];
  op: NumberOp;
  value: number;
};
export type PredictionCondition = { field: PredictionField; op: NumberOp; value: number };
export type ListCondition = {
  field: (typeof LIST_FIELDS)[number];
  op: "in" | "not_in";
  value: string[];
};
export type TagsCondition = {
  field: "tags";
  op: "has_any" | "has_all" | "has_none";
  value: string[];
};
export type CreatedCondition =
  | { field: "customer_created"; op: "within_days"; value: number }
  | { field: "customer_created"; op: "before" | "after"; value: string };
export interface OrderFilter {
  products?: string[];
  product_types?: string[];
  vendors?: string[];
  collections?: string[];
  within_days?: number;
  discount?: boolean;
  channels?: string[];
}
/** "Has <op> <value> counted orders matching <where>", e.g. at least 1 order of vendor X in 30 days. */
export type OrdersCondition = { field: "orders"; op: NumberOp; value: number; where?: OrderFilter };

export type Condition =
  | NumberCondition
  | PredictionCondition
  | ListCondition
  | TagsCondition
  | CreatedCondition
  | OrdersCondition;
export type RuleNode = { and: RuleNode[] } | { or: RuleNode[] } | { not: RuleNode } | Condition;

export interface RuleProblem {
  /** Where in the rule, e.g. "and[1].value" ("" for the whole rule). */
  path: string;
  message: string;
}

export type RuleValidation = { ok: true; rule: RuleNode } | { ok: false; problems: RuleProblem[] };

export const FIELD_LABELS: Record<Condition["field"], string> = {
  frequency: "Number of orders",
  monetary: "Amount spent (cents)",
  recency: "Days since last order",
  r: "Recency score (1–5)",
  f: "Frequency score (1–5)",
  m: "Monetary score (1–5)",
  expected_orders_90d: "Expected orders in the next 90 days",
  p_alive: "Chance still a customer (0–1)",
  predicted_clv: "Predicted spend, next 365 days (cents)",
  days_overdue: "Days overdue",
  rfm_group: "RFM group",
  country: "Country",
  province: "Province / state",
  city: "City",
  email_marketing: "Email marketing",
  tags: "Customer tags",
  customer_created: "Customer created",
  orders: "Orders",
};

const ALL_FIELDS = Object.keys(FIELD_LABELS);
const ORDER_FILTER_KEYS = [
  "products",
  "product_types",
  "vendors",
  "collections",
  "within_days",
  "discount",
  "channels",
];
const MAX_DEPTH = 6;
const MAX_CONDITIONS = 50;
const MAX_LIST = 250;
/**
 * Longest listed value: Shopify's tags, titles, types and vendors stay within 255 characters. A
 * longer value, or one with control characters, matches nothing and made the database refuse the
 * statement (SQLite: a LIKE pattern over 50,000 bytes; PostgreSQL: a NUL in text).
 */
const MAX_VALUE_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/**
 * Listed values in one rule, all lists together. Each is a bound SQL parameter, and a shop's rules
 * are evaluated together in one statement: 50 conditions of 250 values each overflowed it.
 */
export const MAX_RULE_VALUES = 1_000;
/** Largest order count, amount (cents) and day count a condition may compare with. */
const MAX_COUNT = 1_000_000;
const MAX_CENTS = 1_000_000_000_000;
const MAX_DAYS = 36_500;

/** What each prediction field accepts: its range, and whether fractions make sense. */
const PREDICTION_LIMITS: Record<PredictionField, { min: number; max: number; integer: boolean }> = {
  expected_orders_90d: { min: 0, max: MAX_COUNT, integer: false },
  p_alive: { min: 0, max: 1, integer: false },
  predicted_clv: { min: 0, max: MAX_CENTS, integer: true },
  days_overdue: { min: -MAX_DAYS, max: MAX_DAYS, integer: true },
};

/** Whether a rule reads the stored predictions (it must be evaluated again after a refresh). */
export function usesPredictions(rule: RuleNode): boolean {
  if ("and" in rule) return rule.and.some(usesPredictions);
  if ("or" in rule) return rule.or.some(usesPredictions);
  if ("not" in rule) return usesPredictions(rule.not);
  return (PREDICTION_FIELDS as readonly string[]).includes(rule.field);
}

/** Edit distance where swapping two neighbours counts as one typo ("=>" vs ">="). */
function editDistance(a: string, b: string) {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

function didYouMean(value: string, options: readonly string[]) {
  const lower = value.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const option of options) {
    const distance = editDistance(lower, option.toLowerCase());
    // On a tie, an option of the same length is the likelier typo (a swap rather than a drop).
    const better =
      distance < bestDistance ||
      (distance === bestDistance &&
        option.length === value.length &&
        best?.length !== value.length);
    if (better) [best, bestDistance] = [option, distance];
  }
  return best && bestDistance <= Math.max(2, Math.floor(value.length / 3))
    ? ` Did you mean "${best}"?`
    : ` Use one of: ${options.map((option) => `"${option}"`).join(", ")}.`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function join(path: string, key: string | number) {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

class Validator {
  problems: RuleProblem[] = [];
  conditions = 0;
  values = 0;

  problem(path: string, message: string) {
    this.problems.push({ path, message });
    return null;
  }

  unknownKeys(node: Record<string, unknown>, allowed: string[], path: string, what: string) {
    for (const key of Object.keys(node))
      if (!allowed.includes(key))
        this.problem(
          join(path, key),
          `${what} has an unknown setting "${key}".${didYouMean(key, allowed)}`,
        );
  }

  node(input: unknown, path: string, depth: number): RuleNode | null {
    if (depth > MAX_DEPTH)
      return this.problem(path, `Rules can be nested at most ${MAX_DEPTH} levels deep.`);
    if (!isObject(input))
      return this.problem(
        path,
        "Each part of a rule must be a group (and / or / not) or a condition.",
      );
    const groupKeys = ["and", "or", "not"].filter((key) => key in input);
    if (groupKeys.length > 1)
      return this.problem(
        path,
        `A group is either "and", "or" or "not", not ${groupKeys.join(" and ")} at once.`,
      );
    if (groupKeys.length === 0 && !("field" in input)) {
      const keys = Object.keys(input);
      const guess = keys.length ? didYouMean(keys[0], ["and", "or", "not", "field"]) : "";
      return this.problem(
        path,
        `Expected a group ("and", "or", "not") or a condition with a "field".${keys.length ? ` Found "${keys[0]}".${guess}` : ""}`,
      );
    }
    if ("not" in input) {
      this.unknownKeys(input, ["not"], path, '"not"');
      const inner = this.node(input.not, join(path, "not"), depth + 1);
      return inner && { not: inner };
    }
    for (const key of ["and", "or"] as const) {
      if (!(key in input)) continue;
      this.unknownKeys(input, [key], path, `"${key}"`);
      const children = input[key];
      if (!Array.isArray(children) || children.length === 0)
        return this.problem(join(path, key), `"${key}" needs a list of at least one condition.`);
      const parsed = children.map((child, index) =>
        this.node(child, join(join(path, key), index), depth + 1),
      );
      if (parsed.some((child) => child === null)) return null;
      return key === "and" ? { and: parsed as RuleNode[] } : { or: parsed as RuleNode[] };
    }
    return this.condition(input, path);
  }

  number(
    value: unknown,
    path: string,
    label: string,
    options: { min?: number; max?: number; integer?: boolean },
  ) {
    if (typeof value !== "number" || !Number.isFinite(value))
      return this.problem(
        path,
        `${label} needs a number${typeof value === "string" ? `, not the text "${value}"` : ""}.`,
      );
    if (options.integer && !Number.isInteger(value))
      return this.problem(path, `${label} needs a whole number, not ${value}.`);
    if (options.min !== undefined && value < options.min)
      return this.problem(path, `${label} must be at least ${options.min}.`);
    if (options.max !== undefined && value > options.max)
      return this.problem(path, `${label} must be at most ${options.max}.`);
    return value;
  }

  stringList(value: unknown, path: string, label: string): string[] | null {
    if (typeof value === "string") value = [value];
    if (!Array.isArray(value) || value.length === 0)
      return this.problem(path, `${label} needs a list of at least one value.`);
    if (value.length > MAX_LIST)
      return this.problem(path, `${label} accepts at most ${MAX_LIST} values.`);
    this.values += value.length;
    const cleaned: string[] = [];
    for (const [index, item] of value.entries()) {
      if (typeof item !== "string" || item.trim() === "")
        return this.problem(join(path, index), `${label} values must be non-empty text.`);
      if (item.trim().length > MAX_VALUE_LENGTH)
        return this.problem(
          join(path, index),
          `${label} values are at most ${MAX_VALUE_LENGTH} characters long.`,
        );
      if (CONTROL_CHARACTER.test(item))
        return this.problem(
          join(path, index),
          `${label} values cannot contain control characters (line breaks, tabs).`,
        );
      cleaned.push(item.trim());
    }
    return cleaned;
  }

  op<T extends string>(
    value: unknown,
    allowed: readonly T[],
    path: string,
    label: string,
  ): T | null {
    if (typeof value === "string" && (allowed as readonly string[]).includes(value))
      return value as T;
    return this.problem(
      path,
      `${label} can't be compared with ${JSON.stringify(value ?? null)}.${typeof value === "string" ? didYouMean(value, allowed) : ` Use one of: ${allowed.map((option) => `"${option}"`).join(", ")}.`}`,
    );
  }

  condition(input: Record<string, unknown>, path: string): Condition | null {
    if (++this.conditions > MAX_CONDITIONS)
      return this.problem(path, `A rule can have at most ${MAX_CONDITIONS} conditions.`);
    const field = input.field;
    if (typeof field !== "string" || !ALL_FIELDS.includes(field))
      return this.problem(
        join(path, "field"),
        `Unknown field ${JSON.stringify(field ?? null)}.${typeof field === "string" ? didYouMean(field, ALL_FIELDS) : ""}`,
      );
    const name = field as Condition["field"];
    const label = FIELD_LABELS[name];
    this.unknownKeys(
      input,
      name === "orders" ? ["field", "op", "value", "where"] : ["field", "op", "value"],
      path,
      label,
    );
    const opPath = join(path, "op");
    const valuePath = join(path, "value");
    switch (name) {
      case "frequency":
      case "monetary":
      case "recency":
      case "r":
      case "f":
      case "m": {
        const op = this.op(input.op, NUMBER_OPS, opPath, label);
        const score = name === "r" || name === "f" || name === "m";
        const max = score
          ? 5
          : { frequency: MAX_COUNT, monetary: MAX_CENTS, recency: MAX_DAYS }[name as string];
        const value = this.number(input.value, valuePath, label, {
          integer: true,
          min: score ? 1 : 0,
          max,
        });
        return op && value !== null ? { field: name, op, value } : null;
      }
      case "expected_orders_90d":
      case "p_alive":
      case "predicted_clv":
      case "days_overdue": {
        const op = this.op(input.op, NUMBER_OPS, opPath, label);
        const value = this.number(input.value, valuePath, label, PREDICTION_LIMITS[name]);
        return op && value !== null ? { field: name, op, value } : null;
      }
      case "rfm_group":
      case "country":
      case "province":
      case "city":
      case "email_marketing": {
        const op = this.op(input.op, ["in", "not_in"] as const, opPath, label);
        let values = this.stringList(input.value, valuePath, label);
        if (values && name === "rfm_group")
          for (const [index, value] of values.entries())
            if (!(RFM_GROUP_HANDLES as readonly string[]).includes(value))
              return this.problem(
                join(valuePath, index),
                `"${value}" is not an RFM group.${didYouMean(value, RFM_GROUP_HANDLES)}`,
              );
        if (values && name === "email_marketing") {
          values = values.map((value) => value.toUpperCase().replace(/[\s-]/g, "_"));
          for (const [index, value] of values.entries())
            if (!(EMAIL_MARKETING_STATES as readonly string[]).includes(value))
              return this.problem(
                join(valuePath, index),
                `"${value}" is not an email marketing state.${didYouMean(value, EMAIL_MARKETING_STATES)}`,
              );
        }
        if (values && name === "country") {
          values = values.map((value) => value.toUpperCase());
          for (const [index, value] of values.entries())
            if (!/^[A-Z]{2}$/.test(value))
              return this.problem(
                join(valuePath, index),
                `Countries are two-letter codes such as "US" or "DE", not "${value}".`,
              );
        }
        if (values && name === "province") values = values.map((value) => value.toUpperCase());
        return op && values ? { field: name, op, value: values } : null;
      }
      case "tags": {
        const op = this.op(input.op, ["has_any", "has_all", "has_none"] as const, opPath, label);
        const values = this.stringList(input.value, valuePath, label);
        if (values?.some((value) => value.includes(",")))
          return this.problem(valuePath, "A tag can't contain a comma; list each tag separately.");
        return op && values ? { field: name, op, value: values } : null;
      }
      case "customer_created": {
        const op = this.op(input.op, ["within_days", "before", "after"] as const, opPath, label);
        if (!op) return null;
        if (op === "within_days") {
          const value = this.number(input.value, valuePath, label, {
            integer: true,
            min: 1,
            max: MAX_DAYS,
          });
          return value === null ? null : { field: name, op, value };
        }
        const value = calendarDate(input.value);
        if (!value)
          return this.problem(
            valuePath,
            `${label} ${op} needs a date such as "2026-01-31" (a day that exists, years 1900 to 2999).`,
          );
        return { field: name, op, value };
      }
      case "orders": {
        const op = this.op(input.op, NUMBER_OPS, opPath, label);
        const value = this.number(input.value, valuePath, "The number of orders", {
          integer: true,
          min: 0,
          max: MAX_COUNT,
        });
        const where =
          input.where === undefined ? {} : this.orderFilter(input.where, join(path, "where"));
        return op && value !== null && where
          ? { field: name, op, value, ...(Object.keys(where).length ? { where } : {}) }
          : null;
      }
    }
  }

  orderFilter(input: unknown, path: string): OrderFilter | null {
    if (!isObject(input)) return this.problem(path, 'Order filters ("where") must be an object.');
    this.unknownKeys(input, ORDER_FILTER_KEYS, path, "The order filter");
    const filter: OrderFilter = {};
    for (const key of [
      "products",
      "product_types",
      "vendors",
      "collections",
      "channels",
    ] as const) {
      if (input[key] === undefined) continue;
      const label = {
        products: "Products",
        product_types: "Product types",
        vendors: "Vendors",
        collections: "Collections",
        channels: "Sales channels",
      }[key];
      const values = this.stringList(input[key], join(path, key), label);
      if (!values) continue;
      if (key === "products" || key === "collections") {
        const type = key === "products" ? "Product" : "Collection";
        const gids = values.map((value) =>
          /^\d+$/.test(value) ? `gid://shopify/${type}/${value}` : value,
        );
        const bad = gids.findIndex((gid) => !new RegExp(`^gid://shopify/${type}/\\d+$`).test(gid));
        if (bad >= 0) {
          this.problem(
            join(join(path, key), bad),
            `"${values[bad]}" is not a ${type.toLowerCase()} id (expected gid://shopify/${type}/123 or 123).`,
          );
          continue;
        }
        filter[key] = gids;
      } else filter[key] = values;
    }
    if (input.within_days !== undefined) {
      const days = this.number(input.within_days, join(path, "within_days"), "Within days", {
        integer: true,
        min: 1,
        max: MAX_DAYS,
      });
      if (days !== null) filter.within_days = days;
    }
    if (input.discount !== undefined) {
      if (typeof input.discount !== "boolean")
        this.problem(
          join(path, "discount"),
          "Discount use is true (used a code) or false (no code).",
        );
      else filter.discount = input.discount;
    }
    return filter;
  }
}

/** A typed date as an ISO instant, if the day exists and falls in years 1900 to 2999. */
function calendarDate(value: unknown) {
  const time = parseCalendarTime(value);
  const year = time?.getUTCFullYear() ?? 0;
  return time && year >= 1900 && year <= 2999 ? time.toISOString() : null;
}

export function validateRule(input: unknown): RuleValidation {
  const validator = new Validator();
  const rule = validator.node(input, "", 0);
  if (validator.values > MAX_RULE_VALUES)
    validator.problem(
      "",
      `A rule can list at most ${MAX_RULE_VALUES} values in all; this one lists ${validator.values}. Split it into several segments, or match a collection or tag instead of many products.`,
    );
  if (validator.problems.length > 0 || !rule) {
    const problems = validator.problems.length
      ? validator.problems
      : [{ path: "", message: "The rule is not valid." }];
    return { ok: false, problems };
  }
  return { ok: true, rule };
}

/** Parses a stored or submitted JSON rule; bad JSON is a problem like any other. */
export function parseRule(json: string): RuleValidation {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          path: "",
          message: `The rule is not valid JSON (${error instanceof Error ? error.message : "parse error"}).`,
        },
      ],
    };
  }
  return validateRule(input);
}

/** One-line summary of the problems, for the CLI and API error bodies. */
export function describeProblems(problems: RuleProblem[]) {
  return problems
    .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message))
    .join("\n");
}

/** Segment handles: lowercase words joined by dashes, derived from the name when not given. */
export function handleFromName(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}
