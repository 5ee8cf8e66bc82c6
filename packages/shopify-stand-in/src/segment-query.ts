// The segment query language (https://shopify.dev/docs/api/shopifyql/segment-query-language-reference)
// as the stand-in's API version reads it: clauses `attribute operator value`, functions compared with
// `= true` / `= false` (2026-10 replaces that with MATCHES, per the changelog "Updated function
// syntax on the segment query language"), joined by AND / OR / NOT and parentheses. A query
// that does not parse is refused with a line/column message; a filter Shopify has but the
// stand-in does not evaluate parses, and is refused loudly only when evaluated.
import { EMAIL_EVENT_KINDS, type EmailEventKind } from "./email";

export class SegmentQueryError extends Error {}

type Token =
  | { type: "word"; text: string; column: number }
  | { type: "string"; text: string; column: number }
  | { type: "number"; value: number; column: number }
  | { type: "offset"; amount: number; unit: "d" | "w" | "m" | "y"; column: number }
  | { type: "date"; text: string; column: number }
  | { type: "symbol"; text: string; column: number }
  | { type: "end"; column: number };

const TOKEN =
  /\s*(?:(?<string>'(?:[^'\\]|\\.)*')|(?<date>\d{4}-\d{2}-\d{2})\b|(?<offset>[+-]\d+[dwmy])\b|(?<number>-?\d+(?:\.\d+)?)\b|(?<word>\d+_(?:days|months)_ago|[A-Za-z_][A-Za-z0-9_.]*)|(?<symbol>!=|>=|<=|[=<>(),:]))/y;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    if (/^\s*$/.test(query.slice(start))) break;
    const match = TOKEN.exec(query);
    if (!match?.groups) {
      const column = start + (query.slice(start).length - query.slice(start).trimStart().length);
      throw new SegmentQueryError(`Line 1 Column ${column}: '${query[column]}' is unexpected.`);
    }
    const column = match.index + match[0].length - match[0].trimStart().length;
    const g = match.groups;
    if (g.string !== undefined)
      tokens.push({ type: "string", text: g.string.slice(1, -1).replace(/\\(.)/g, "$1"), column });
    else if (g.date !== undefined) tokens.push({ type: "date", text: g.date, column });
    else if (g.offset !== undefined)
      tokens.push({
        type: "offset",
        amount: Number(g.offset.slice(0, -1)),
        unit: g.offset.slice(-1) as "d",
        column,
      });
    else if (g.number !== undefined)
      tokens.push({ type: "number", value: Number(g.number), column });
    else if (g.word !== undefined) tokens.push({ type: "word", text: g.word, column });
    else tokens.push({ type: "symbol", text: g.symbol, column });
  }
  tokens.push({ type: "end", column: query.length });
  return tokens;
}

/** A day on the shop's calendar: an absolute date, or relative to today (offset / named). */
export type DayValue = { date: string } | { offset: number; unit: "d" | "w" | "m" | "y" };

export type Literal = string | number | DayValue;

export type SegmentExpression =
  | { and: SegmentExpression[] }
  | { or: SegmentExpression[] }
  | { not: SegmentExpression }
  | { attribute: string; op: string; values: Literal[] }
  | {
      email: EmailEventKind;
      date: DayValue | null;
      activityId: number | null;
      countAtLeast: number;
      expected: boolean;
    }
  | { unevaluated: string };

/** Attributes the stand-in evaluates, by their value type. */
export const EVALUATED_ATTRIBUTES: Record<string, "number" | "day" | "status" | "tags"> = {
  number_of_orders: "number",
  amount_spent: "number",
  last_order_date: "day",
  first_order_date: "day",
  customer_added_date: "day",
  email_subscription_status: "status",
  customer_tags: "tags",
};

/** Shopify attributes and functions the stand-in parses but does not evaluate. */
const KNOWN_ELSEWHERE = new Set([
  "rfm_group",
  "customer_account_status",
  "customer_countries",
  "customer_cities",
  "customer_regions",
  "customer_email_domain",
  "customer_language",
  "abandoned_checkout_date",
  "predicted_spend_tier",
  "sms_subscription_status",
  "products_purchased",
  "orders_placed",
  "anniversary",
  "product_subscription_status",
  "created_by_app_id",
  "companies",
]);

const NAMED_DAYS: Record<string, DayValue> = {
  today: { offset: 0, unit: "d" },
  yesterday: { offset: -1, unit: "d" },
  "7_days_ago": { offset: -7, unit: "d" },
  "30_days_ago": { offset: -30, unit: "d" },
  "90_days_ago": { offset: -90, unit: "d" },
  "12_months_ago": { offset: -12, unit: "m" },
};

const COMPARISONS = new Set(["=", "!=", ">", ">=", "<", "<="]);
const EMAIL_PREFIX = "shopify_email.";

const isEmailFunction = (name: string) =>
  name.startsWith(EMAIL_PREFIX) &&
  (EMAIL_EVENT_KINDS as readonly string[]).includes(name.slice(EMAIL_PREFIX.length));

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private get next() {
    return this.tokens[this.position];
  }

  private unexpected(token: Token = this.next): never {
    if (token.type === "end")
      throw new SegmentQueryError(`Line 1 Column ${token.column}: Query ended unexpectedly.`);
    const text =
      token.type === "number"
        ? String(token.value)
        : token.type === "offset"
          ? `${token.amount}${token.unit}`
          : token.text;
    throw new SegmentQueryError(`Line 1 Column ${token.column}: '${text}' is unexpected.`);
  }

  private isWord(text: string, token: Token = this.next) {
    return token.type === "word" && token.text.toUpperCase() === text;
  }

  private isSymbol(text: string) {
    return this.next.type === "symbol" && this.next.text === text;
  }

  private expectSymbol(text: string) {
    if (!this.isSymbol(text)) this.unexpected();
    this.position++;
  }

  private expectWord(text: string) {
    if (!this.isWord(text)) this.unexpected();
    this.position++;
  }

  private atEnd() {
    return this.next.type === "end";
  }

  parse(): SegmentExpression {
    if (this.atEnd()) throw new SegmentQueryError("Line 1 Column 0: Query can't be blank.");
    const expression = this.or();
    if (!this.atEnd()) this.unexpected();
    return expression;
  }

  private or(): SegmentExpression {
    const parts = [this.and()];
    while (this.isWord("OR")) {
      this.position++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : { or: parts };
  }

  private and(): SegmentExpression {
    const parts = [this.unary()];
    while (this.isWord("AND")) {
      this.position++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : { and: parts };
  }

  private unary(): SegmentExpression {
    if (this.isWord("NOT")) {
      this.position++;
      return { not: this.unary() };
    }
    if (this.isSymbol("(")) {
      this.position++;
      const inner = this.or();
      this.expectSymbol(")");
      return inner;
    }
    return this.clause();
  }

  private clause(): SegmentExpression {
    const name = this.next;
    if (name.type !== "word") this.unexpected();
    this.position++;
    const attribute = name.text.toLowerCase();
    if (this.isSymbol("(")) return this.functionClause(attribute, name.column);
    // A function without its parentheses (e.g. 2026-10's `… MATCHES (…)`): what follows is wrong.
    if (isEmailFunction(attribute)) this.unexpected();
    if (!(attribute in EVALUATED_ATTRIBUTES) && !KNOWN_ELSEWHERE.has(attribute))
      throw new SegmentQueryError(
        `Line 1 Column ${name.column}: '${name.text}' filter cannot be found.`,
      );
    const { op, values } = this.condition();
    return attribute in EVALUATED_ATTRIBUTES
      ? { attribute, op, values }
      : { unevaluated: attribute };
  }

  private condition(): { op: string; values: Literal[] } {
    const token = this.next;
    if (token.type === "symbol" && COMPARISONS.has(token.text)) {
      this.position++;
      return { op: token.text, values: [this.literal()] };
    }
    if (this.isWord("BETWEEN")) {
      this.position++;
      const low = this.literal();
      this.expectWord("AND");
      return { op: "BETWEEN", values: [low, this.literal()] };
    }
    if (this.isWord("CONTAINS")) {
      this.position++;
      return { op: "CONTAINS", values: [this.literal()] };
    }
    if (this.isWord("NOT") && this.isWord("CONTAINS", this.tokens[this.position + 1])) {
      this.position += 2;
      return { op: "NOT CONTAINS", values: [this.literal()] };
    }
    if (this.isWord("IS")) {
      this.position++;
      const negated = this.isWord("NOT");
      if (negated) this.position++;
      this.expectWord("NULL");
      return { op: negated ? "IS NOT NULL" : "IS NULL", values: [] };
    }
    return this.unexpected();
  }

  private literal(): Literal {
    const token = this.next;
    this.position++;
    if (token.type === "string") return token.text;
    if (token.type === "number") return token.value;
    if (token.type === "date") return { date: token.text };
    if (token.type === "offset") return { offset: token.amount, unit: token.unit };
    if (token.type === "word" && token.text.toLowerCase() in NAMED_DAYS)
      return NAMED_DAYS[token.text.toLowerCase()];
    return this.unexpected(token);
  }

  private functionClause(name: string, column: number): SegmentExpression {
    this.expectSymbol("(");
    const params = new Map<string, { value: Literal; column: number }>();
    while (!this.isSymbol(")")) {
      if (params.size > 0) this.expectSymbol(",");
      const key = this.next;
      if (key.type !== "word") this.unexpected();
      this.position++;
      this.expectSymbol(":");
      params.set(key.text.toLowerCase(), { value: this.literal(), column: key.column });
    }
    this.position++;
    // Until 2026-10 a function is compared with `= true` or `= false`; MATCHES comes then.
    this.expectSymbol("=");
    const flag = this.next;
    if (!this.isWord("TRUE") && !this.isWord("FALSE")) this.unexpected();
    this.position++;
    const expected = flag.type === "word" && flag.text.toLowerCase() === "true";
    if (KNOWN_ELSEWHERE.has(name)) return { unevaluated: name };
    if (!isEmailFunction(name))
      throw new SegmentQueryError(`Line 1 Column ${column}: '${name}' filter cannot be found.`);
    return {
      email: name.slice(EMAIL_PREFIX.length) as EmailEventKind,
      expected,
      ...emailParameters(params),
    };
  }
}

function emailParameters(params: Map<string, { value: Literal; column: number }>) {
  let date: DayValue | null = null;
  let activityId: number | null = null;
  let countAtLeast = 1;
  for (const [key, { value, column }] of params) {
    const invalid = () =>
      new SegmentQueryError(`Line 1 Column ${column}: '${key}' has an invalid value.`);
    if (key === "date") {
      if (typeof value !== "object") throw invalid();
      date = value;
    } else if (key === "activity_id") {
      if (typeof value !== "number" || !Number.isInteger(value)) throw invalid();
      activityId = value;
    } else if (key === "count_at_least") {
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw invalid();
      countAtLeast = value;
    } else
      throw new SegmentQueryError(
        `Line 1 Column ${column}: '${key}' is not a parameter of this function.`,
      );
  }
  return { date, activityId, countAtLeast };
}

/** Parses a segment query; throws SegmentQueryError with Shopify's line/column message. */
export function parseSegmentQuery(query: string): SegmentExpression {
  return new Parser(tokenize(query)).parse();
}
