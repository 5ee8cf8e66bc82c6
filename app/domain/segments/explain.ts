/**
 * Why a customer is (or is not) in a segment: the segment's definition as a tree of conditions,
 * each with the customer's own value and whether it is met. RFM groups follow PRODUCT.md §3,
 * lifecycle segments §4 (the same tests as `lifecycleSegmentsFor`), custom rules and the built-in
 * segments on predictions their own tree (the same semantics as the SQL they compile to;
 * conditions on orders are counted by the caller, which has the orders, and passed in by their
 * path).
 */
import { parseCalendarTime } from "../dates";
import type { LifecycleThresholds } from "./lifecycle";
import { DAY_MS, recencyDays, rfmGroupFor, rfmGroupName } from "./rfm";
import {
  FIELD_LABELS,
  type Condition,
  type NumberOp,
  type PredictionField,
  type RuleNode,
} from "./rules";
import type { StoredScore } from "./score-changes";

/** What the app stores about a customer (no names, no emails). */
export interface CustomerFacts extends StoredScore {
  createdAt: Date;
  /** Comma-joined, as synced. */
  tags: string;
  countryCode: string | null;
  provinceCode: string | null;
  city: string | null;
  emailMarketingState: string | null;
  /** Share of buyers who spent less (VIP compares it with its percentile); null if unknown. */
  spendBelowShare: number | null;
  /** The customer's stored predictions (rules on prediction fields); absent: none. */
  prediction?: PredictionFacts | null;
}

/** The predictions rules compare with, as stored by the latest refresh. */
export interface PredictionFacts {
  method: "model" | "heuristic";
  /** False when the customer ordered since (rules then use no prediction until the refresh). */
  current: boolean;
  expectedOrders90d: number;
  pAlive: number;
  predictedSpend365dCents: number;
  daysOverdue: number | null;
}

export type ExplanationNode =
  | { kind: "condition"; label: string; actual: string; met: boolean }
  | { kind: "all" | "any" | "none"; met: boolean; children: ExplanationNode[] };

export interface ExplainContext {
  asOf: Date;
  thresholds: LifecycleThresholds;
  /** Formats minor units in the shop currency. */
  money: (cents: bigint) => string;
  /** Formats an instant in the shop's time zone. */
  date: (at: Date) => string;
  /** Custom rules: whether each `orders` condition (by its path, e.g. "and[1]") is met. */
  ordersMet?: Record<string, boolean>;
  /** Email engagement groups: whether Shopify selected the customer at the last read. */
  selectedByShopify?: boolean;
}

export interface SegmentDefinition {
  kind: string;
  handle: string;
  /** Parsed rule (custom segments). */
  rule: RuleNode | null;
}

const condition = (label: string, actual: string, met: boolean): ExplanationNode => ({
  kind: "condition",
  label,
  actual,
  met,
});

const all = (children: ExplanationNode[]): ExplanationNode => ({
  kind: "all",
  met: children.every((child) => child.met),
  children,
});

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

function daysSinceLastOrder(facts: CustomerFacts, asOf: Date) {
  return facts.lastOrderAt ? recencyDays(facts.lastOrderAt, asOf) : null;
}

/** The customer's values the panel shows next to the explanation. */
export function customerValues(facts: CustomerFacts, context: Pick<ExplainContext, "asOf">) {
  return {
    orders: facts.orders,
    spentCents: facts.spentCents,
    daysSinceLastOrder: daysSinceLastOrder(facts, context.asOf),
    r: facts.r,
    f: facts.f,
    m: facts.m,
    rfmGroup: facts.rfmGroup,
  };
}

// ---- RFM groups (§3): every group is a range of R times a band of FM = (F + M) / 2.

const FM_BANDS = [
  { band: "high", label: "at least 4", fm2: 8 },
  { band: "mid", label: "2.5 to 3.5", fm2: 6 },
  { band: "low", label: "at most 2", fm2: 4 },
] as const;

function fmBand(f: number, m: number) {
  const fm2 = f + m;
  return fm2 >= 8 ? "high" : fm2 <= 4 ? "low" : "mid";
}

function explainRfm(handle: string, facts: CustomerFacts): ExplanationNode {
  const hasScores = facts.r !== null && facts.f !== null && facts.m !== null;
  if (handle === "prospects")
    return all([
      condition("No counted order", plural(facts.orders, "counted order"), facts.orders === 0),
    ]);
  const rs = [1, 2, 3, 4, 5].filter((r) =>
    FM_BANDS.some(({ fm2 }) => rfmGroupFor({ r, f: fm2 / 2, m: fm2 / 2 }) === handle),
  );
  const bands = FM_BANDS.filter(({ fm2 }) =>
    rs.some((r) => rfmGroupFor({ r, f: fm2 / 2, m: fm2 / 2 }) === handle),
  );
  const rLabel =
    rs.length === 1 ? `Recency score R is ${rs[0]}` : `Recency score R is ${rs[0]} to ${rs.at(-1)}`;
  const fmLabel = `Average of F and M is ${bands.map((b) => b.label).join(" or ")}`;
  if (!hasScores)
    return all([
      condition(rLabel, "no score (no counted order)", false),
      condition(fmLabel, "no score (no counted order)", false),
    ]);
  const { r, f, m } = facts as { r: number; f: number; m: number };
  return all([
    condition(rLabel, `R = ${r}`, rs.includes(r)),
    condition(
      fmLabel,
      `(F ${f} + M ${m}) / 2 = ${(f + m) / 2}`,
      bands.some((b) => b.band === fmBand(f, m)),
    ),
  ]);
}

// ---- Lifecycle segments (§4), the tests of lifecycleSegmentsFor one by one.

function explainLifecycle(
  handle: string,
  facts: CustomerFacts,
  context: ExplainContext,
): ExplanationNode {
  const { thresholds, asOf } = context;
  const counted = plural(facts.orders, "counted order");
  const repeat = condition("Two or more counted orders", counted, facts.orders >= 2);
  const buyer = facts.orders > 0 && facts.r !== null;
  switch (handle) {
    case "one-time":
      return all([condition("Exactly one counted order", counted, facts.orders === 1 && buyer)]);
    case "repeat":
      return all([repeat]);
    case "never-purchased":
      return all([condition("No counted order", counted, !buyer)]);
    case "new-buyers": {
      const first = facts.firstOrderAt;
      const days = first ? (asOf.getTime() - first.getTime()) / DAY_MS : null;
      return all([
        condition(
          `First order at most ${thresholds.newBuyerDays} days ago`,
          first ? `${context.date(first)} (${Math.floor(days ?? 0)} days ago)` : "no order",
          buyer && days !== null && days <= thresholds.newBuyerDays,
        ),
      ]);
    }
    case "vip":
      return all([
        repeat,
        condition(
          `Spend at or above the ${percent(thresholds.vipPercentile)} percentile of buyers`,
          facts.spendBelowShare === null
            ? `${context.money(facts.spentCents)}`
            : `${context.money(facts.spentCents)}: more than ${percent(facts.spendBelowShare)} of buyers`,
          buyer &&
            facts.spendBelowShare !== null &&
            facts.spendBelowShare >= thresholds.vipPercentile,
        ),
      ]);
    case "lapsed-90": {
      const days = daysSinceLastOrder(facts, asOf);
      return all([
        condition(
          `Last order more than ${thresholds.lapsedDays} days ago`,
          days === null ? "no order" : plural(days, "day") + " ago",
          buyer && days !== null && days > thresholds.lapsedDays,
        ),
      ]);
    }
    case "discount-seekers": {
      const share = facts.orders ? facts.discountOrders / facts.orders : 0;
      return all([
        repeat,
        condition(
          `A discount code on at least ${percent(thresholds.discountSeekerShare)} of orders`,
          `${facts.discountOrders} of ${facts.orders} (${percent(share)})`,
          facts.orders >= 2 && share >= thresholds.discountSeekerShare,
        ),
      ]);
    }
    default:
      return all([condition("Unknown lifecycle segment", handle, false)]);
  }
}

// ---- Custom rules: the same two-valued semantics as app/segments/rule-sql.ts.

const OP_WORDS: Record<NumberOp, string> = {
  "=": "is",
  "!=": "is not",
  "<": "is less than",
  "<=": "is at most",
  ">": "is more than",
  ">=": "is at least",
};

function compare(a: number, op: NumberOp, b: number) {
  return { "=": a === b, "!=": a !== b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[op];
}

function listOf(text: string | null) {
  if (!text) return [];
  return text
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

function explainCondition(
  leaf: Condition,
  path: string,
  facts: CustomerFacts,
  context: ExplainContext,
): ExplanationNode {
  const label = FIELD_LABELS[leaf.field];
  switch (leaf.field) {
    case "frequency":
    case "r":
    case "f":
    case "m": {
      const value = leaf.field === "frequency" ? facts.orders : facts[leaf.field];
      return condition(
        `${label} ${OP_WORDS[leaf.op]} ${leaf.value}`,
        value === null ? "no score" : String(value),
        value !== null && compare(value, leaf.op, leaf.value),
      );
    }
    case "monetary":
      return condition(
        `Amount spent ${OP_WORDS[leaf.op]} ${context.money(BigInt(leaf.value))}`,
        context.money(facts.spentCents),
        compare(Number(facts.spentCents), leaf.op, leaf.value),
      );
    case "recency": {
      const days = daysSinceLastOrder(facts, context.asOf);
      return condition(
        `${label} ${OP_WORDS[leaf.op]} ${leaf.value}`,
        days === null ? "no order" : String(days),
        days !== null && compare(days, leaf.op, leaf.value),
      );
    }
    case "expected_orders_90d":
    case "p_alive":
    case "predicted_clv":
    case "days_overdue":
      return explainPrediction(leaf, facts.prediction ?? null, context);
    case "rfm_group":
    case "country":
    case "province":
    case "city":
    case "email_marketing": {
      const raw = {
        rfm_group: facts.rfmGroup,
        country: facts.countryCode,
        province: facts.provinceCode,
        city: facts.city,
        email_marketing: facts.emailMarketingState,
      }[leaf.field];
      const value = leaf.field === "city" ? (raw?.toLowerCase() ?? null) : raw;
      const values = leaf.field === "city" ? leaf.value.map((v) => v.toLowerCase()) : leaf.value;
      const inList = value !== null && values.includes(value);
      const shown = leaf.field === "rfm_group" ? leaf.value.map(rfmGroupName) : leaf.value;
      const actual = leaf.field === "rfm_group" && raw ? rfmGroupName(raw) : (raw ?? "not set");
      return condition(
        `${label} ${leaf.op === "in" ? "is" : "is not"} ${shown.join(" or ")}`,
        actual,
        leaf.op === "in" ? inList : !inList,
      );
    }
    case "tags": {
      const tags = listOf(facts.tags);
      const present = leaf.value.map((tag) => tags.includes(tag.toLowerCase()));
      const met =
        leaf.op === "has_any"
          ? present.some(Boolean)
          : leaf.op === "has_all"
            ? present.every(Boolean)
            : !present.some(Boolean);
      const words = { has_any: "any of", has_all: "all of", has_none: "none of" }[leaf.op];
      return condition(
        `Has ${words} the tags ${leaf.value.join(", ")}`,
        facts.tags || "no tags",
        met,
      );
    }
    case "customer_created": {
      if (leaf.op === "within_days")
        return condition(
          `Customer created in the last ${leaf.value} days`,
          context.date(facts.createdAt),
          facts.createdAt.getTime() >= context.asOf.getTime() - leaf.value * DAY_MS,
        );
      const bound = parseCalendarTime(leaf.value) ?? new Date(leaf.value);
      return condition(
        `Customer created ${leaf.op} ${context.date(bound)}`,
        context.date(facts.createdAt),
        leaf.op === "before"
          ? facts.createdAt.getTime() < bound.getTime()
          : facts.createdAt.getTime() >= bound.getTime(),
      );
    }
    case "orders": {
      const filters = leaf.where ?? {};
      const parts = [
        filters.within_days !== undefined ? `in the last ${filters.within_days} days` : "",
        filters.products ? `with products ${filters.products.join(", ")}` : "",
        filters.product_types ? `of types ${filters.product_types.join(", ")}` : "",
        filters.vendors ? `from vendors ${filters.vendors.join(", ")}` : "",
        filters.collections ? `in collections ${filters.collections.join(", ")}` : "",
        filters.discount === undefined
          ? ""
          : filters.discount
            ? "with a discount code"
            : "without a discount code",
        filters.channels ? `through ${filters.channels.join(", ")}` : "",
      ].filter(Boolean);
      const met = context.ordersMet?.[path];
      return condition(
        `Orders ${parts.join(" ")} ${OP_WORDS[leaf.op]} ${leaf.value}`.replace(/\s+/g, " "),
        met === undefined ? "not checked" : `${plural(facts.orders, "counted order")} in total`,
        met === true,
      );
    }
  }
}

/** The same test as the SQL: false without a current stored prediction (or without its value). */
function explainPrediction(
  leaf: Extract<Condition, { field: PredictionField }>,
  prediction: PredictionFacts | null,
  context: ExplainContext,
): ExplanationNode {
  const money = (cents: number) => context.money(BigInt(Math.round(cents)));
  const heuristic = prediction?.method === "heuristic";
  const shown = {
    expected_orders_90d: {
      label: `Expected orders in the next 90 days ${OP_WORDS[leaf.op]} ${leaf.value}`,
      value: prediction?.expectedOrders90d ?? null,
      text: (value: number) => value.toFixed(2),
    },
    p_alive: {
      label: `${heuristic ? "Buy-soon score" : "Chance still a customer"} ${OP_WORDS[leaf.op]} ${percent(leaf.value)}`,
      value: prediction?.pAlive ?? null,
      text: percent,
    },
    predicted_clv: {
      label: `Predicted spend in the next 365 days ${OP_WORDS[leaf.op]} ${money(leaf.value)}`,
      value: prediction?.predictedSpend365dCents ?? null,
      text: money,
    },
    days_overdue: {
      label: `Days overdue ${OP_WORDS[leaf.op]} ${leaf.value}`,
      value: prediction?.daysOverdue ?? null,
      text: (value: number) => String(Math.round(value)),
    },
  }[leaf.field];
  const actual = !prediction
    ? "no prediction (no counted order at the last refresh)"
    : !prediction.current
      ? "none current: they ordered since the last refresh"
      : shown.value === null
        ? "no usual interval yet"
        : shown.text(shown.value);
  return condition(
    shown.label,
    actual,
    prediction?.current === true &&
      shown.value !== null &&
      compare(shown.value, leaf.op, leaf.value),
  );
}

function explainRule(
  node: RuleNode,
  path: string,
  facts: CustomerFacts,
  context: ExplainContext,
): ExplanationNode {
  const at = (suffix: string) => (path ? `${path}.${suffix}` : suffix);
  if ("and" in node) {
    const children = node.and.map((child, i) =>
      explainRule(child, at(`and[${i}]`), facts, context),
    );
    return { kind: "all", met: children.every((c) => c.met), children };
  }
  if ("or" in node) {
    const children = node.or.map((child, i) => explainRule(child, at(`or[${i}]`), facts, context));
    return { kind: "any", met: children.some((c) => c.met), children };
  }
  if ("not" in node) {
    const child = explainRule(node.not, at("not"), facts, context);
    return { kind: "none", met: !child.met, children: [child] };
  }
  return explainCondition(node, path, facts, context);
}

/** The paths of a rule's `orders` conditions: the caller counts those with the orders. */
export function ordersConditionPaths(
  rule: RuleNode,
  path = "",
): { path: string; node: Condition }[] {
  const at = (suffix: string) => (path ? `${path}.${suffix}` : suffix);
  if ("and" in rule)
    return rule.and.flatMap((child, i) => ordersConditionPaths(child, at(`and[${i}]`)));
  if ("or" in rule)
    return rule.or.flatMap((child, i) => ordersConditionPaths(child, at(`or[${i}]`)));
  if ("not" in rule) return ordersConditionPaths(rule.not, at("not"));
  return rule.field === "orders" ? [{ path, node: rule }] : [];
}

/** The segment's definition checked against the customer's values. */
export function explainMembership(
  segment: SegmentDefinition,
  facts: CustomerFacts,
  context: ExplainContext,
): ExplanationNode {
  if (segment.kind === "rfm") return explainRfm(segment.handle, facts);
  if (segment.kind === "lifecycle") return explainLifecycle(segment.handle, facts, context);
  if (segment.kind === "engagement") {
    const selected = context.selectedByShopify ?? false;
    return all([
      condition(
        "Selected by Shopify from your Shopify Email activity (read daily)",
        selected ? "selected at the last read" : "not selected at the last read",
        selected,
      ),
    ]);
  }
  if (segment.rule) return explainRule(segment.rule, "", facts, context);
  return all([condition("This segment has no rule", "–", false)]);
}
