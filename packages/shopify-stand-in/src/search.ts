// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax), the parts the app
// uses: `field:value`, comparators (`:>`, `:>=`, `:<`, `:<=`), quotes, implicit AND, OR, NOT / `-`,
// parentheses, `*` prefix match and bare words. Unknown fields are an error naming the field.
import { parseGid } from "./model";

export class SearchError extends Error {}

type Comparator = ":" | ":>" | ":>=" | ":<" | ":<=";

type Node =
  | { kind: "term"; field: string | null; comparator: Comparator; value: string }
  | { kind: "and"; children: Node[] }
  | { kind: "or"; children: Node[] }
  | { kind: "not"; child: Node };

export type FieldKind = "date" | "number" | "id" | "string" | "list" | "bool";

export interface SearchField<T> {
  kind: FieldKind;
  get: (record: T) => unknown;
}

export interface SearchSpec<T> {
  resource: string;
  fields: Record<string, SearchField<T>>;
  /** Matched against bare words. */
  text: (record: T) => string;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === "(" || char === ")") {
      tokens.push(char);
      index++;
      continue;
    }
    let token = "";
    while (index < query.length && !/[\s()]/.test(query[index])) {
      const quote = query[index];
      if (quote === "'" || quote === '"') {
        const end = query.indexOf(quote, index + 1);
        if (end < 0) throw new SearchError(`Unterminated quote in search query: ${query}`);
        token += query.slice(index, end + 1);
        index = end + 1;
      } else {
        token += quote;
        index++;
      }
    }
    tokens.push(token);
  }
  return tokens;
}

const unquote = (value: string) => value.replace(/^(['"])(.*)\1$/s, "$2");

function parseTerm(token: string): Node {
  const match = /^([A-Za-z_.]+)(:>=|:<=|:>|:<|:)(.*)$/s.exec(token);
  if (!match) return { kind: "term", field: null, comparator: ":", value: unquote(token) };
  const [, field, comparator, raw] = match;
  let value = raw;
  let op = comparator as Comparator;
  // `field:'>x'` style is not Shopify's; `field:>=x` is handled above, `field:=x` means equality.
  if (op === ":" && value.startsWith("=")) value = value.slice(1);
  if (op === ":" && /^[<>]=?/.test(value)) {
    const inner = /^([<>]=?)(.*)$/s.exec(value)!;
    op = `:${inner[1]}` as Comparator;
    value = inner[2];
  }
  return { kind: "term", field: field.toLowerCase(), comparator: op, value: unquote(value) };
}

export function parseSearch(query: string): Node | null {
  const tokens = tokenize(query);
  let position = 0;
  const parseOr = (): Node => {
    const children = [parseAnd()];
    while (tokens[position] === "OR") {
      position++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0] : { kind: "or", children };
  };
  const parseAnd = (): Node => {
    const children: Node[] = [];
    while (position < tokens.length && tokens[position] !== ")" && tokens[position] !== "OR") {
      if (tokens[position] === "AND") {
        position++;
        continue;
      }
      children.push(parseUnary());
    }
    if (children.length === 0) throw new SearchError(`Empty expression in search query: ${query}`);
    return children.length === 1 ? children[0] : { kind: "and", children };
  };
  const parseUnary = (): Node => {
    const token = tokens[position];
    if (token === "NOT") {
      position++;
      return { kind: "not", child: parseUnary() };
    }
    if (token === "(") {
      position++;
      const inner = parseOr();
      if (tokens[position] !== ")") throw new SearchError(`Missing ) in search query: ${query}`);
      position++;
      return inner;
    }
    position++;
    if (token.startsWith("-") && token.length > 1)
      return { kind: "not", child: parseTerm(token.slice(1)) };
    return parseTerm(token);
  };
  if (tokens.length === 0) return null;
  const node = parseOr();
  if (position < tokens.length)
    throw new SearchError(`Unexpected "${tokens[position]}" in search query: ${query}`);
  return node;
}

function compare(left: number, comparator: Comparator, right: number) {
  switch (comparator) {
    case ":>":
      return left > right;
    case ":>=":
      return left >= right;
    case ":<":
      return left < right;
    case ":<=":
      return left <= right;
    default:
      return left === right;
  }
}

function parseDateValue(value: string, field: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new SearchError(`Invalid date for ${field}: ${value}`);
  return ms;
}

function idValue(value: string, field: string): number {
  const parsed = parseGid(value);
  const id = parsed ? parsed.id : Number(value);
  if (!Number.isSafeInteger(id)) throw new SearchError(`Invalid id for ${field}: ${value}`);
  return id;
}

function matchString(actual: string, expected: string) {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  return e.endsWith("*") ? a.startsWith(e.slice(0, -1)) : a === e;
}

function compile<T>(node: Node, spec: SearchSpec<T>): (record: T) => boolean {
  if (node.kind === "and") {
    const parts = node.children.map((child) => compile(child, spec));
    return (record) => parts.every((part) => part(record));
  }
  if (node.kind === "or") {
    const parts = node.children.map((child) => compile(child, spec));
    return (record) => parts.some((part) => part(record));
  }
  if (node.kind === "not") {
    const inner = compile(node.child, spec);
    return (record) => !inner(record);
  }
  const { field, comparator, value } = node;
  if (field === null) {
    const needle = value.toLowerCase().replace(/\*$/, "");
    return (record) => spec.text(record).toLowerCase().includes(needle);
  }
  const negated = field.endsWith("_not");
  const definition = spec.fields[field] ?? (negated ? spec.fields[field.slice(0, -4)] : undefined);
  if (!definition)
    throw new SearchError(
      `The Shopify stand-in does not implement the ${spec.resource} search filter "${field}" (supported: ${Object.keys(spec.fields).join(", ")})`,
    );
  const test = termTest(definition, comparator, value, field);
  return negated ? (record) => !test(record) : test;
}

function termTest<T>(
  definition: SearchField<T>,
  comparator: Comparator,
  value: string,
  field: string,
): (record: T) => boolean {
  const get = definition.get;
  switch (definition.kind) {
    case "date": {
      if (value === "*") return (record) => get(record) !== null;
      const target = parseDateValue(value, field);
      return (record) => {
        const actual = get(record) as number | null;
        return actual !== null && compare(actual, comparator, target);
      };
    }
    case "number": {
      const target = Number(value);
      if (Number.isNaN(target)) throw new SearchError(`Invalid number for ${field}: ${value}`);
      return (record) => compare(Number(get(record)), comparator, target);
    }
    case "id": {
      const target = idValue(value, field);
      return (record) => {
        const actual = get(record) as number | null;
        return actual !== null && compare(actual, comparator, target);
      };
    }
    case "bool": {
      const target = value.toLowerCase() === "true";
      return (record) => Boolean(get(record)) === target;
    }
    case "list":
      return (record) => (get(record) as string[]).some((item) => matchString(item, value));
    default:
      if (comparator !== ":") {
        return (record) => {
          const actual = String(get(record) ?? "");
          const order = actual.localeCompare(value);
          return compare(order, comparator, 0);
        };
      }
      return (record) => matchString(String(get(record) ?? ""), value);
  }
}

/** A predicate for a search query; an empty or missing query matches everything. */
export function searchFilter<T>(query: string | null | undefined, spec: SearchSpec<T>) {
  const node = query ? parseSearch(query) : null;
  return node ? compile(node, spec) : () => true;
}
