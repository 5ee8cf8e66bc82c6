/**
 * The rule builder: edits a rule tree (the same JSON the API takes) with AND / OR groups, NOT,
 * and one row per condition. Problems from the server are shown under the part they concern,
 * matched by path ("and[1].value").
 */
import { CatalogPicker } from "./CatalogPicker";
import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  InlineError,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";

export type Json = Record<string, unknown>;
export interface PathProblem {
  path: string;
  message: string;
}

const FIELD_OPTIONS = [
  { label: "Number of orders", value: "frequency" },
  { label: "Amount spent", value: "monetary" },
  { label: "Days since last order", value: "recency" },
  { label: "Recency score R (1–5)", value: "r" },
  { label: "Frequency score F (1–5)", value: "f" },
  { label: "Monetary score M (1–5)", value: "m" },
  { label: "RFM group", value: "rfm_group" },
  { label: "Expected orders, next 90 days", value: "expected_orders_90d" },
  { label: "Chance still a customer (0–1)", value: "p_alive" },
  { label: "Predicted spend, next 365 days", value: "predicted_clv" },
  { label: "Days overdue", value: "days_overdue" },
  { label: "Orders matching…", value: "orders" },
  { label: "Country", value: "country" },
  { label: "Province / state", value: "province" },
  { label: "City", value: "city" },
  { label: "Customer tags", value: "tags" },
  { label: "Email marketing", value: "email_marketing" },
  { label: "Customer created", value: "customer_created" },
];

const NUMBER_OPS = ["=", "!=", "<", "<=", ">", ">="].map((op) => ({
  label: {
    "=": "is",
    "!=": "is not",
    "<": "less than",
    "<=": "at most",
    ">": "more than",
    ">=": "at least",
  }[op]!,
  value: op,
}));
const LIST_OPS = [
  { label: "is one of", value: "in" },
  { label: "is none of", value: "not_in" },
];
const TAG_OPS = [
  { label: "has any of", value: "has_any" },
  { label: "has all of", value: "has_all" },
  { label: "has none of", value: "has_none" },
];
const CREATED_OPS = [
  { label: "within the last (days)", value: "within_days" },
  { label: "before", value: "before" },
  { label: "on or after", value: "after" },
];

const LIST_HELP: Record<string, string> = {
  rfm_group:
    "Handles, comma-separated: champions, loyal, active, new, promising, needs-attention, previously-loyal, at-risk, almost-lost, dormant, prospects",
  country: "Two-letter codes, comma-separated, e.g. US, CA",
  province: "Codes, comma-separated, e.g. CA, NY",
  city: "Comma-separated, any capitalisation",
  tags: "Comma-separated",
  email_marketing: "SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED or PENDING",
};

/** Under number fields: what the value means (the predictions come from the daily refit). */
const NUMBER_HELP: Record<string, string> = {
  expected_orders_90d: "From the latest predictions, e.g. 0.5",
  p_alive: "0 to 1, e.g. 0.5; under the heuristic, the buy-soon score",
  predicted_clv: "From the latest predictions",
  days_overdue: "Days past the customer's usual interval; negative: not due yet",
};

const NUMBER_FIELDS = [
  "frequency",
  "monetary",
  "recency",
  "r",
  "f",
  "m",
  "orders",
  "expected_orders_90d",
  "p_alive",
  "predicted_clv",
  "days_overdue",
];

function opsFor(field: string) {
  if (NUMBER_FIELDS.includes(field)) return NUMBER_OPS;
  if (field === "tags") return TAG_OPS;
  if (field === "customer_created") return CREATED_OPS;
  return LIST_OPS;
}

const NUMBER_DEFAULTS: Record<string, number> = {
  monetary: 10000,
  predicted_clv: 10000,
  p_alive: 0.5,
  days_overdue: 30,
};

export function newCondition(field = "frequency"): Json {
  const op = opsFor(field)[field === "orders" ? 5 : 0].value;
  if (field === "orders") return { field, op, value: 1, where: {} };
  if (opsFor(field) === NUMBER_OPS) return { field, op: ">=", value: NUMBER_DEFAULTS[field] ?? 1 };
  if (field === "customer_created") return { field, op: "within_days", value: 30 };
  return { field, op, value: [] };
}

const listText = (value: unknown) =>
  Array.isArray(value) ? value.join(", ") : String(value ?? "");
const toList = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
/** Numbers stay numbers; anything else is kept as typed so the server can say what is wrong. */
const toNumber = (text: string) =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;

function problemsAt(problems: PathProblem[], path: string, exact = false) {
  return problems.filter((problem) =>
    exact
      ? problem.path === path
      : problem.path === path ||
        problem.path.startsWith(`${path}.`) ||
        problem.path.startsWith(`${path}[`),
  );
}

function join(path: string, key: string | number) {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

interface NodeProps {
  node: Json;
  path: string;
  problems: PathProblem[];
  onChange: (node: Json) => void;
  onRemove?: () => void;
  depth: number;
}

function ConditionEditor({
  node,
  path,
  problems,
  onChange,
}: Omit<NodeProps, "depth" | "onRemove">) {
  const field = String(node.field ?? "");
  const known = FIELD_OPTIONS.some((option) => option.value === field);
  const ops = opsFor(field);
  const set = (changes: Json) => onChange({ ...node, ...changes });
  const where = (node.where as Json | undefined) ?? {};
  const setWhere = (key: string, value: unknown) => {
    const next = { ...where, [key]: value };
    if (value === undefined || (Array.isArray(value) && value.length === 0) || value === "")
      delete next[key];
    set({ where: next });
  };
  const isMoney = field === "monetary" || field === "predicted_clv";
  const valueProblem = problemsAt(problems, join(path, "value"))[0]?.message;
  let valueInput;
  if (ops === NUMBER_OPS || (field === "customer_created" && node.op === "within_days")) {
    const shown =
      isMoney && typeof node.value === "number"
        ? String(node.value / 100)
        : String(node.value ?? "");
    valueInput = (
      <TextField
        label={field === "orders" ? "Number of orders" : "Value"}
        labelHidden={field !== "orders"}
        type="number"
        autoComplete="off"
        prefix={isMoney ? "$" : undefined}
        helpText={NUMBER_HELP[field]}
        value={shown}
        error={valueProblem}
        onChange={(text) => {
          const parsed = toNumber(text);
          set({ value: isMoney && typeof parsed === "number" ? Math.round(parsed * 100) : parsed });
        }}
      />
    );
  } else if (field === "customer_created") {
    valueInput = (
      <TextField
        label="Date"
        labelHidden
        type="date"
        autoComplete="off"
        value={String(node.value ?? "").slice(0, 10)}
        error={valueProblem}
        onChange={(text) => set({ value: text })}
      />
    );
  } else {
    valueInput = (
      <TextField
        label="Values"
        labelHidden
        autoComplete="off"
        value={listText(node.value)}
        helpText={LIST_HELP[field]}
        error={valueProblem}
        onChange={(text) => set({ value: toList(text) })}
      />
    );
  }
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" wrap blockAlign="start">
        <Box minWidth="200px">
          <Select
            label="Field"
            labelHidden
            options={
              known
                ? FIELD_OPTIONS
                : [{ label: `Unknown: ${field}`, value: field }, ...FIELD_OPTIONS]
            }
            value={field}
            error={problemsAt(problems, join(path, "field"), true)[0]?.message}
            onChange={(value) => onChange(newCondition(value))}
          />
        </Box>
        <Box minWidth="160px">
          <Select
            label="Comparison"
            labelHidden
            options={
              ops.some((op) => op.value === node.op)
                ? ops
                : [{ label: String(node.op ?? "choose"), value: String(node.op ?? "") }, ...ops]
            }
            value={String(node.op ?? "")}
            error={problemsAt(problems, join(path, "op"), true)[0]?.message}
            onChange={(value) =>
              set(
                field === "customer_created"
                  ? { op: value, value: value === "within_days" ? 30 : "" }
                  : { op: value },
              )
            }
          />
        </Box>
        <Box minWidth="220px">{valueInput}</Box>
      </InlineStack>
      {field === "orders" && (
        <Box paddingInlineStart="400">
          <BlockStack gap="200">
            <Text as="p" tone="subdued">
              Count only orders that match all of these (leave empty to count every order):
            </Text>
            <InlineStack gap="200" wrap>
              <TextField
                label="Within the last (days)"
                type="number"
                autoComplete="off"
                value={String(where.within_days ?? "")}
                error={problemsAt(problems, join(join(path, "where"), "within_days"))[0]?.message}
                onChange={(text) => setWhere("within_days", text ? toNumber(text) : undefined)}
              />
              <TextField
                label="Product types"
                autoComplete="off"
                value={listText(where.product_types)}
                onChange={(text) => setWhere("product_types", toList(text))}
              />
              <TextField
                label="Vendors"
                autoComplete="off"
                value={listText(where.vendors)}
                onChange={(text) => setWhere("vendors", toList(text))}
              />
              <Box minWidth="260px">
                <CatalogPicker
                  kind="product"
                  label="Products"
                  value={Array.isArray(where.products) ? (where.products as string[]) : []}
                  error={problemsAt(problems, join(join(path, "where"), "products"))[0]?.message}
                  onChange={(ids) => setWhere("products", ids.length ? ids : undefined)}
                />
              </Box>
              <Box minWidth="260px">
                <CatalogPicker
                  kind="collection"
                  label="Collections"
                  value={Array.isArray(where.collections) ? (where.collections as string[]) : []}
                  error={problemsAt(problems, join(join(path, "where"), "collections"))[0]?.message}
                  onChange={(ids) => setWhere("collections", ids.length ? ids : undefined)}
                />
              </Box>
              <TextField
                label="Sales channels"
                helpText="e.g. web, pos"
                autoComplete="off"
                value={listText(where.channels)}
                onChange={(text) => setWhere("channels", toList(text))}
              />
              <Select
                label="Discount code"
                options={[
                  { label: "Doesn't matter", value: "" },
                  { label: "Used a code", value: "true" },
                  { label: "No code", value: "false" },
                ]}
                value={where.discount === undefined ? "" : String(where.discount)}
                onChange={(value) =>
                  setWhere("discount", value === "" ? undefined : value === "true")
                }
              />
            </InlineStack>
            {problemsAt(problems, join(path, "where"), true).map((problem) => (
              <InlineError key={problem.message} message={problem.message} fieldID={path} />
            ))}
          </BlockStack>
        </Box>
      )}
      {problemsAt(problems, path)
        .filter(
          (problem) =>
            !["field", "op", "value", "where"].some((key) =>
              problem.path.startsWith(join(path, key)),
            ),
        )
        .map((problem) => (
          <InlineError
            key={problem.path + problem.message}
            message={problem.message}
            fieldID={path}
          />
        ))}
    </BlockStack>
  );
}

function NodeEditor({ node, path, problems, onChange, onRemove, depth }: NodeProps) {
  const negated = "not" in node;
  const inner = negated ? (node.not as Json) : node;
  const innerPath = negated ? join(path, "not") : path;
  const setInner = (next: Json) => onChange(negated ? { not: next } : next);
  const isGroup = "and" in inner || "or" in inner;
  return (
    <Box
      padding="300"
      borderWidth="025"
      borderColor="border"
      borderRadius="200"
      background={depth % 2 ? "bg-surface-secondary" : "bg-surface"}
    >
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Checkbox
            label="Not (exclude customers who match)"
            checked={negated}
            onChange={(checked) => onChange(checked ? { not: inner } : inner)}
          />
          {onRemove && (
            <Button variant="plain" tone="critical" onClick={onRemove}>
              Remove
            </Button>
          )}
        </InlineStack>
        {isGroup ? (
          <GroupEditor
            node={inner}
            path={innerPath}
            problems={problems}
            onChange={setInner}
            depth={depth + 1}
          />
        ) : (
          <ConditionEditor node={inner} path={innerPath} problems={problems} onChange={setInner} />
        )}
      </BlockStack>
    </Box>
  );
}

export function GroupEditor({
  node,
  path,
  problems,
  onChange,
  depth,
}: Omit<NodeProps, "onRemove">) {
  const key = "or" in node ? "or" : "and";
  const children = Array.isArray(node[key]) ? (node[key] as Json[]) : [];
  const listPath = join(path, key);
  const setChildren = (next: Json[]) => onChange({ [key]: next });
  return (
    <BlockStack gap="200">
      <Box maxWidth="360px">
        <Select
          label="Customers match when"
          options={[
            { label: "all of these are true (AND)", value: "and" },
            { label: "any of these is true (OR)", value: "or" },
          ]}
          value={key}
          onChange={(value) => onChange({ [value]: children })}
        />
      </Box>
      {children.map((child, index) => (
        <NodeEditor
          key={index}
          node={child}
          path={join(listPath, index)}
          problems={problems}
          depth={depth}
          onChange={(next) =>
            setChildren(children.map((current, i) => (i === index ? next : current)))
          }
          onRemove={() => setChildren(children.filter((_, i) => i !== index))}
        />
      ))}
      {problemsAt(problems, listPath, true).map((problem) => (
        <InlineError key={problem.message} message={problem.message} fieldID={listPath} />
      ))}
      <InlineStack gap="200">
        <Button onClick={() => setChildren([...children, newCondition()])}>Add condition</Button>
        {depth < 4 && (
          <Button onClick={() => setChildren([...children, { or: [newCondition()] }])}>
            Add group
          </Button>
        )}
      </InlineStack>
    </BlockStack>
  );
}

/** The whole builder: the root is always a group; anything else is wrapped in one for editing. */
export function RuleBuilder({
  rule,
  problems,
  onChange,
}: {
  rule: Json;
  problems: PathProblem[];
  onChange: (rule: Json) => void;
}) {
  const rootIsGroup = "and" in rule || "or" in rule;
  if (!rootIsGroup) {
    return (
      <BlockStack gap="200">
        <NodeEditor node={rule} path="" problems={problems} depth={0} onChange={onChange} />
        <Button onClick={() => onChange({ and: [rule, newCondition()] })}>Add condition</Button>
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="200">
      <GroupEditor node={rule} path="" problems={problems} onChange={onChange} depth={0} />
      {problemsAt(problems, "", true).map((problem) => (
        <InlineError key={problem.message} message={problem.message} fieldID="rule" />
      ))}
    </BlockStack>
  );
}
