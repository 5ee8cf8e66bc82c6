// Bulk operations like Shopify's (https://shopify.dev/docs/api/usage/bulk-operations/queries):
// a query runs in the background over the whole store and writes JSONL (one node per line,
// nested connection nodes on their own lines with __parentId) streamed to disk and served from
// the stand-in; bulk mutations run a mutation once per line of an uploaded JSONL of variables.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  execute,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  parse,
  validate,
  valueFromASTUntyped,
} from "graphql";
import { type PageArgs, UNBOUNDED, connection, sortList } from "./connections";
import { strictFieldResolver } from "./execute";
import { gid, isoTime, parseGid } from "./model";
import { type ApiContext, type BulkService, type StagedUploadInput, rootValue } from "./root";
import type { Store } from "./store";
import {
  type View,
  Views,
  badRequest,
  customerSearch,
  filtered,
  orderSearch,
  productSearch,
} from "./views";
import { restTime } from "./rest-payloads";

type Status = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

interface BulkOperationRecord {
  id: number;
  type: "QUERY" | "MUTATION";
  status: Status;
  query: string;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  file: string;
  cancelRequested: boolean;
  done: Promise<void>;
}

const MAX_CONCURRENT = 5;
const MAX_CONNECTIONS = 5;
const MAX_NESTING = 2;

const bulkUserError = (message: string, code: string, field: string[] | null = ["query"]) => ({
  field,
  message,
  code,
});

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<
    string,
    { typeCondition?: { name: { value: string } }; selectionSet: SelectionSetNode }
  >;
}

/** Fields that apply to a concrete object (fragments filtered by type condition). */
function fieldsFor(
  selectionSet: SelectionSetNode,
  concrete: GraphQLCompositeType,
  walk: Walk,
  out: FieldNode[] = [],
) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition
        ? walk.schema.getType(fragment.typeCondition.name.value)
        : null;
      const applies =
        !condition ||
        condition === concrete ||
        (isAbstractType(condition) &&
          isObjectType(concrete) &&
          walk.schema.isSubType(condition, concrete));
      if (applies) fieldsFor(fragment.selectionSet, concrete, walk, out);
    }
  }
  return out;
}

function fieldDef(type: GraphQLCompositeType, name: string) {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/** The node type of a connection type (its `nodes` list). */
function connectionNodeType(connectionType: unknown): GraphQLCompositeType {
  if (!isObjectType(connectionType)) throw new Error("not a connection type");
  return getNamedType(connectionType.getFields().nodes.type) as GraphQLCompositeType;
}

const isConnectionType = (type: unknown) =>
  isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();

function argsOf(node: FieldNode) {
  const args: Record<string | symbol, unknown> = {};
  for (const arg of node.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
  return args;
}

/** Checks Shopify's bulk query rules; returns a message or null. */
function bulkQueryProblem(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  walk: Walk,
): string | null {
  const root = schema.getQueryType()!;
  const top = fieldsFor(operation.selectionSet, root, walk);
  if (top.some((field) => field.name.value === "node" || field.name.value === "nodes"))
    return "Bulk queries cannot contain top level `node` or `nodes` fields.";
  let connections = 0;
  let deepest = 0;
  const visit = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, depth: number) => {
    for (const field of fieldsFor(selectionSet, type, walk)) {
      const def = fieldDef(type, field.name.value);
      if (!def || !field.selectionSet) continue;
      const named = getNamedType(def.type) as GraphQLCompositeType;
      if (isConnectionType(named)) {
        connections++;
        deepest = Math.max(deepest, depth + 1);
        const nodeType = connectionNodeType(named);
        if (!isObjectType(nodeType) || !nodeType.getInterfaces().some((i) => i.name === "Node"))
          return void (connections = 99);
      }
      visit(field.selectionSet, named, isConnectionType(named) ? depth + 1 : depth);
    }
  };
  visit(operation.selectionSet, root, 0);
  if (connections === 0) return "Bulk queries must contain at least one connection.";
  if (connections === 99)
    return "Bulk queries only support connections whose nodes implement the Node interface.";
  if (connections > MAX_CONNECTIONS)
    return `Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`;
  if (deepest > MAX_NESTING + 1)
    return `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTING}.`;
  return null;
}

export class BulkOperations implements BulkService {
  private readonly operations = new Map<number, BulkOperationRecord>();
  private readonly uploads = new Map<string, string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly store: Store,
    private readonly dir: string,
    private readonly origin: () => string,
    private readonly context: () => ApiContext,
  ) {
    mkdirSync(path.join(dir, "results"), { recursive: true });
    mkdirSync(path.join(dir, "uploads"), { recursive: true });
  }

  private views() {
    return new Views(this.context());
  }

  view(id: number): View | null {
    const op = this.operations.get(id);
    if (!op) return null;
    const hasResults = op.status === "COMPLETED" && op.objectCount > 0;
    const url = `${this.origin()}/bulk-results/${op.id}.jsonl`;
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", op.id),
      type: op.type,
      status: op.status,
      query: op.query,
      createdAt: isoTime(op.createdAt),
      completedAt: op.completedAt === null ? null : isoTime(op.completedAt),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: op.fileSize === null ? null : String(op.fileSize),
      errorCode: op.errorCode,
      url: hasResults ? url : null,
      partialDataUrl: op.status === "FAILED" && op.objectCount > 0 ? url : null,
    };
  }

  current(type: "QUERY" | "MUTATION") {
    const latest = [...this.operations.values()].filter((op) => op.type === type).pop();
    return latest ? this.view(latest.id) : null;
  }

  list(args: PageArgs & { query?: string | null }) {
    const items = filtered([...this.operations.values()], args.query, {
      resource: "bulkOperations",
      text: (op) => op.query,
      fields: {
        status: { kind: "string", get: (op) => op.status },
        operation_type: { kind: "string", get: (op) => op.type },
        type: { kind: "string", get: (op) => op.type },
        created_at: { kind: "date", get: (op) => op.createdAt },
        id: { kind: "id", get: (op) => op.id },
      },
    });
    return connection(
      sortList({
        items,
        sortValue: (op) => op.createdAt,
        id: (op) => op.id,
        reverse: Boolean(args.reverse),
      }),
      args,
      (op) => this.view(op.id),
    );
  }

  /** Resolves when the operation has finished (tests and the demo use it instead of polling). */
  async finished(id: string | number) {
    const numeric = typeof id === "number" ? id : parseGid(id)?.id;
    const op = numeric === undefined ? undefined : this.operations.get(numeric);
    if (!op) throw new Error(`No bulk operation ${id}`);
    await op.done;
  }

  filePath(id: number) {
    const op = this.operations.get(id);
    return (op && op.status === "COMPLETED") || op?.status === "FAILED" ? op.file : null;
  }

  /** Cancels every unfinished operation and waits for it (the stand-in is closing). */
  async shutdown() {
    const unfinished = [...this.operations.values()].filter(
      (op) => op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING",
    );
    for (const op of unfinished) op.cancelRequested = true;
    await Promise.all(unfinished.map((op) => op.done));
  }

  private running(type: "QUERY" | "MUTATION") {
    return [...this.operations.values()].filter(
      (op) =>
        op.type === type &&
        (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"),
    );
  }

  private start(
    type: "QUERY" | "MUTATION",
    query: string,
    run: (op: BulkOperationRecord, write: (line: string) => Promise<void>) => Promise<void>,
  ) {
    const id = this.store.newId("BulkOperation");
    const op: BulkOperationRecord = {
      id,
      type,
      status: "CREATED",
      query,
      createdAt: this.store.clock(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      errorCode: null,
      file: path.join(this.dir, "results", `${id}.jsonl`),
      cancelRequested: false,
      done: Promise.resolve(),
    };
    this.operations.set(id, op);
    op.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.runToFile(op, run),
    );
    return op;
  }

  private async runToFile(
    op: BulkOperationRecord,
    run: (op: BulkOperationRecord, write: (line: string) => Promise<void>) => Promise<void>,
  ) {
    op.status = "RUNNING";
    const out = createWriteStream(op.file, "utf8");
    let buffer = "";
    const write = async (line: string) => {
      buffer += line + "\n";
      if (buffer.length >= 1 << 16) {
        const ok = out.write(buffer);
        buffer = "";
        if (!ok) await once(out, "drain");
        else await new Promise((resolve) => setImmediate(resolve));
      }
      if (op.cancelRequested) throw new CancelledError();
    };
    try {
      await run(op, write);
      out.end(buffer);
      await once(out, "finish");
      op.status = "COMPLETED";
    } catch (error) {
      out.end(buffer);
      await once(out, "finish").catch(() => undefined);
      if (error instanceof CancelledError) op.status = "CANCELED";
      else if (error instanceof AccessDeniedError) {
        op.status = "FAILED";
        op.errorCode = "ACCESS_DENIED";
      } else {
        op.status = "FAILED";
        op.errorCode = "INTERNAL_SERVER_ERROR";
        console.error(`[stand-in] bulk operation ${op.id} failed:`, error);
      }
    }
    op.completedAt = this.store.clock();
    op.fileSize = existsSync(op.file) ? statSync(op.file).size : 0;
    this.store.emit("bulk_operations/finish", {
      admin_graphql_api_id: gid("BulkOperation", op.id),
      completed_at: restTime(op.completedAt),
      created_at: restTime(op.createdAt),
      error_code: op.errorCode?.toLowerCase() ?? null,
      status: op.status.toLowerCase(),
      type: op.type.toLowerCase(),
    });
  }

  runQuery(query: string, _groupObjects: boolean) {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return {
        bulkOperation: null,
        userErrors: [bulkUserError(`Invalid bulk query: ${(error as Error).message}`, "INVALID")],
      };
    }
    const errors = validate(this.schema, document);
    if (errors.length)
      return {
        bulkOperation: null,
        userErrors: [
          bulkUserError(
            `Invalid bulk query: ${errors.map((e) => e.message).join("; ")}`,
            "INVALID",
          ),
        ],
      };
    const operation = getOperationAST(document);
    if (!operation || operation.operation !== "query")
      return {
        bulkOperation: null,
        userErrors: [bulkUserError("Bulk queries must be a single query operation.", "INVALID")],
      };
    const walk = this.walk(document);
    const problem = bulkQueryProblem(this.schema, operation, walk);
    if (problem) return { bulkOperation: null, userErrors: [bulkUserError(problem, "INVALID")] };
    const root = this.schema.getQueryType()!;
    const top = fieldsFor(operation.selectionSet, root, walk);
    const unsupported = top.find(
      (field) => !["customers", "orders", "products", "__typename"].includes(field.name.value),
    );
    if (unsupported)
      return {
        bulkOperation: null,
        userErrors: [
          bulkUserError(
            `The Shopify stand-in does not implement bulk queries over ${unsupported.name.value}.`,
            "INVALID",
          ),
        ],
      };
    const busy = this.running("QUERY");
    if (busy.length >= MAX_CONCURRENT)
      return {
        bulkOperation: null,
        userErrors: [
          bulkUserError(
            `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", busy[0].id)}.`,
            "OPERATION_IN_PROGRESS",
            null,
          ),
        ],
      };
    // Search filters are checked now, so a bad query string is an error rather than a failed operation.
    try {
      for (const field of top) this.checkSearch(field);
    } catch (error) {
      return {
        bulkOperation: null,
        userErrors: [bulkUserError((error as Error).message, "INVALID")],
      };
    }
    const scopes = this.context().scopes;
    const op = this.start("QUERY", query, async (record, write) => {
      for (const field of top) {
        const scope = BULK_SCOPES[field.name.value];
        const writeScope = scope?.replace("read_", "write_");
        if (scope && !scopes.includes(scope) && !scopes.includes(writeScope!))
          throw new AccessDeniedError(scope);
      }
      for (const field of top) {
        if (field.name.value === "__typename") continue;
        const def = root.getFields()[field.name.value];
        const nodeType = connectionNodeType(getNamedType(def.type));
        const { items, view } = this.records(field);
        const selection = this.nodeSelection(field);
        for (const item of items) {
          record.rootObjectCount++;
          await this.emitNode(view(item), selection, nodeType, null, write, walk, record);
        }
      }
    });
    return { bulkOperation: this.view(op.id), userErrors: [] };
  }

  /** Compiles a top-level search query without running it, so a bad filter is refused at once. */
  private checkSearch(field: FieldNode) {
    const query = argsOf(field).query as string | undefined;
    if (field.name.value === "customers") filtered([], query, customerSearch(this.store));
    if (field.name.value === "orders") filtered([], query, orderSearch());
    if (field.name.value === "products") filtered([], query, productSearch());
  }

  /** The records behind a top-level connection, filtered and sorted, viewed one at a time. */
  private records(field: FieldNode) {
    const args = argsOf(field) as { query?: string; sortKey?: string; reverse?: boolean };
    const views = this.views();
    const sortItems = <T extends { id: number }>(items: T[], value: (item: T) => number | string) =>
      sortList({ items, sortValue: value, id: (item) => item.id, reverse: Boolean(args.reverse) })
        .items;
    switch (field.name.value) {
      case "customers": {
        const items = filtered(
          this.store.customers.values(),
          args.query,
          customerSearch(this.store),
        );
        return {
          items: sortItems(
            items,
            args.sortKey === "UPDATED_AT"
              ? (c) => c.updatedAt
              : args.sortKey === "CREATED_AT"
                ? (c) => c.createdAt
                : (c) => c.id,
          ),
          view: (item: unknown) => views.customer(item as never),
        };
      }
      case "orders": {
        const items = filtered(
          views.visibleOrders(this.store.orders.values()),
          args.query,
          orderSearch(),
        );
        return {
          items: sortItems(
            items,
            args.sortKey === "UPDATED_AT"
              ? (o) => o.updatedAt
              : args.sortKey === "CREATED_AT"
                ? (o) => o.createdAt
                : args.sortKey === "PROCESSED_AT"
                  ? (o) => o.processedAt
                  : (o) => o.id,
          ),
          view: (item: unknown) => views.order(item as never),
        };
      }
      case "products": {
        const items = filtered(this.store.products.values(), args.query, productSearch());
        return {
          items: sortItems(items, (p) => p.id),
          view: (item: unknown) => views.product(item as never),
        };
      }
      default:
        throw badRequest(
          `The Shopify stand-in does not implement bulk queries over ${field.name.value}`,
        );
    }
  }

  /** The selection applied to each node: `edges { node { … } }` or `nodes { … }`. */
  private readonly nodeSelections = new WeakMap<FieldNode, SelectionSetNode>();

  private nodeSelection(connectionField: FieldNode): SelectionSetNode {
    const cached = this.nodeSelections.get(connectionField);
    if (cached) return cached;
    const selection = this.buildNodeSelection(connectionField);
    this.nodeSelections.set(connectionField, selection);
    return selection;
  }

  private buildNodeSelection(connectionField: FieldNode): SelectionSetNode {
    const selections: SelectionSetNode["selections"][number][] = [];
    for (const child of connectionField.selectionSet?.selections ?? []) {
      if (child.kind !== Kind.FIELD) continue;
      if (child.name.value === "nodes" && child.selectionSet)
        selections.push(...child.selectionSet.selections);
      if (child.name.value === "edges" && child.selectionSet)
        for (const edgeChild of child.selectionSet.selections)
          if (
            edgeChild.kind === Kind.FIELD &&
            edgeChild.name.value === "node" &&
            edgeChild.selectionSet
          )
            selections.push(...edgeChild.selectionSet.selections);
    }
    return { kind: Kind.SELECTION_SET, selections };
  }

  private walk(document: DocumentNode): Walk {
    const fragments: Walk["fragments"] = new Map();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    return { schema: this.schema, fragments };
  }

  private async emitNode(
    view: View,
    selection: SelectionSetNode,
    type: GraphQLCompositeType,
    parentId: string | null,
    write: (line: string) => Promise<void>,
    walk: Walk,
    op: BulkOperationRecord,
  ) {
    const children: { field: FieldNode; nodeType: GraphQLCompositeType; nodes: View[] }[] = [];
    const concrete = (
      typeof view.__typename === "string" ? this.schema.getType(view.__typename) : type
    ) as GraphQLCompositeType;
    const object = this.resolveObject(view, selection, concrete, walk, (field, nodeType, nodes) =>
      children.push({ field, nodeType, nodes }),
    );
    if (parentId) object.__parentId = parentId;
    op.objectCount++;
    await write(JSON.stringify(object));
    const id = String(view.id);
    for (const child of children) {
      const childSelection = this.nodeSelection(child.field);
      for (const node of child.nodes)
        await this.emitNode(node, childSelection, child.nodeType, id, write, walk, op);
    }
  }

  private readonly plans = new WeakMap<SelectionSetNode, Map<GraphQLCompositeType, FieldPlan[]>>();

  /** How to resolve a selection on a type, worked out once per query rather than per node. */
  private plan(
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType,
    walk: Walk,
  ): FieldPlan[] {
    let byType = this.plans.get(selectionSet);
    if (!byType) this.plans.set(selectionSet, (byType = new Map()));
    const cached = byType.get(type);
    if (cached) return cached;
    const plans = fieldsFor(selectionSet, type, walk).map((field): FieldPlan => {
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === "__typename") return { key, field, kind: "typename", args: {} };
      const def = fieldDef(type, field.name.value);
      if (!def) throw new Error(`Unknown field ${type.name}.${field.name.value}`);
      const named = getNamedType(def.type);
      const args = argsOf(field);
      if (isConnectionType(named)) {
        args[UNBOUNDED] = true;
        return { key, field, kind: "connection", args, nodeType: connectionNodeType(named) };
      }
      if (!isCompositeType(named)) return { key, field, kind: "scalar", args };
      return { key, field, kind: "object", args, named };
    });
    byType.set(type, plans);
    return plans;
  }

  /** A small executor over views for one node; nested connections are handed to `onConnection`. */
  private resolveObject(
    view: View,
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType,
    walk: Walk,
    onConnection?: (field: FieldNode, nodeType: GraphQLCompositeType, nodes: View[]) => void,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const plan of this.plan(selectionSet, type, walk)) {
      if (plan.kind === "typename") {
        out[plan.key] = view.__typename ?? type.name;
        continue;
      }
      if (plan.kind === "connection") {
        if (!onConnection)
          throw new Error(
            `The Shopify stand-in does not support the connection ${type.name}.${plan.field.name.value} inside a nested object in a bulk query`,
          );
        const value = strictResolve(view, plan.field, type, plan.args) as { nodes: View[] };
        onConnection(plan.field, plan.nodeType!, value.nodes);
        continue;
      }
      const value = strictResolve(view, plan.field, type, plan.args);
      if (plan.kind === "scalar" || value === null || value === undefined)
        out[plan.key] = value ?? null;
      else if (Array.isArray(value))
        out[plan.key] = value.map((item) =>
          item === null
            ? null
            : this.resolveObject(
                item as View,
                plan.field.selectionSet!,
                this.concreteOf(item as View, plan.named!),
                walk,
              ),
        );
      else
        out[plan.key] = this.resolveObject(
          value as View,
          plan.field.selectionSet!,
          this.concreteOf(value as View, plan.named!),
          walk,
        );
    }
    return out;
  }

  private concreteOf(view: View, type: GraphQLCompositeType): GraphQLCompositeType {
    return typeof view.__typename === "string"
      ? (this.schema.getType(view.__typename) as GraphQLCompositeType)
      : type;
  }

  // ---- bulk mutations -------------------------------------------------------------------

  stagedUploadsCreate(inputs: StagedUploadInput[]) {
    const targets = inputs.map((input) => {
      const key = `tmp/stand-in/bulk/${randomUUID()}/${input.filename.replace(/[^A-Za-z0-9._-]/g, "_")}`;
      return {
        url: `${this.origin()}/staged-uploads`,
        resourceUrl:
          input.resource === "BULK_MUTATION_VARIABLES"
            ? null
            : `${this.origin()}/staged-uploads/${key}`,
        parameters: [
          { name: "Content-Type", value: input.mimeType },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
          {
            name: "x-goog-date",
            value: new Date(this.store.clock()).toISOString().replace(/[-:]|\.\d{3}/g, ""),
          },
          { name: "x-goog-credential", value: "stand-in/auto/storage/goog4_request" },
          { name: "x-goog-algorithm", value: "GOOG4-HMAC-SHA256" },
          { name: "x-goog-signature", value: randomUUID().replace(/-/g, "") },
          { name: "policy", value: Buffer.from(JSON.stringify({ key })).toString("base64") },
        ],
      };
    });
    return { stagedTargets: targets, userErrors: [] };
  }

  /** Stores an uploaded file under its staged key; returns false for an unknown key shape. */
  acceptUpload(key: string, content: Buffer) {
    if (!key.startsWith("tmp/stand-in/bulk/") || key.includes("..")) return false;
    const file = path.join(this.dir, "uploads", `${randomUUID()}.jsonl`);
    createWriteStream(file).end(content);
    this.uploads.set(key, file);
    return true;
  }

  uploadedFile(key: string) {
    return this.uploads.get(key) ?? null;
  }

  runMutation(mutation: string, stagedUploadPath: string, _clientIdentifier: string | null) {
    const error = (message: string, code: string, field: string[]) => ({
      bulkOperation: null,
      userErrors: [{ field, message, code }],
    });
    let document: DocumentNode;
    try {
      document = parse(mutation);
    } catch (failure) {
      return error(
        `Failed to parse the mutation - ${(failure as Error).message}`,
        "INVALID_MUTATION",
        ["mutation"],
      );
    }
    const errors = validate(this.schema, document);
    const operation = getOperationAST(document);
    if (errors.length || !operation || operation.operation !== "mutation")
      return error(
        `Failed to parse the mutation - ${errors.map((e) => e.message).join("; ") || "a single mutation operation is required"}`,
        "INVALID_MUTATION",
        ["mutation"],
      );
    if (operation.selectionSet.selections.length !== 1)
      return error("Bulk mutations must contain exactly one mutation field.", "INVALID_MUTATION", [
        "mutation",
      ]);
    const file = this.uploads.get(stagedUploadPath);
    if (!file)
      return error(
        "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
        "NO_SUCH_FILE",
        ["stagedUploadPath"],
      );
    const busy = this.running("MUTATION");
    if (busy.length >= MAX_CONCURRENT)
      return error(
        `A bulk mutation operation for this app and shop is already in progress: ${gid("BulkOperation", busy[0].id)}.`,
        "OPERATION_IN_PROGRESS",
        ["mutation"],
      );
    const op = this.start("MUTATION", mutation, async (record, write) => {
      const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
      let lineNumber = -1;
      for await (const text of lines) {
        lineNumber++;
        if (!text.trim()) continue;
        let variables: Record<string, unknown>;
        try {
          variables = JSON.parse(text);
        } catch {
          await write(
            JSON.stringify({
              errors: [{ message: `Invalid JSON on line ${lineNumber + 1}` }],
              __lineNumber: lineNumber,
            }),
          );
          record.objectCount++;
          continue;
        }
        const context = this.context();
        const result = await execute({
          schema: this.schema,
          document,
          rootValue: rootValue(context),
          contextValue: context,
          variableValues: variables,
          fieldResolver: strictFieldResolver,
          typeResolver: (value) => (value as { __typename?: string }).__typename,
        });
        record.objectCount++;
        record.rootObjectCount++;
        await write(
          JSON.stringify({
            ...(result.errors
              ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path })) }
              : {}),
            data: result.data ?? null,
            __lineNumber: lineNumber,
          }),
        );
      }
    });
    return { bulkOperation: this.view(op.id), userErrors: [] };
  }

  cancel(id: string) {
    const parsed = parseGid(id);
    const op = parsed?.type === "BulkOperation" ? this.operations.get(parsed.id) : undefined;
    if (!op)
      return {
        bulkOperation: null,
        userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
      };
    if (op.status !== "CREATED" && op.status !== "RUNNING")
      return {
        bulkOperation: this.view(op.id),
        userErrors: [
          {
            field: null,
            message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`,
          },
        ],
      };
    op.cancelRequested = true;
    op.status = "CANCELING";
    return { bulkOperation: this.view(op.id), userErrors: [] };
  }
}

class CancelledError extends Error {}

/** Shopify runs a bulk query with the app's scopes: a missing one fails it with ACCESS_DENIED. */
class AccessDeniedError extends Error {}

const BULK_SCOPES: Record<string, string> = {
  customers: "read_customers",
  orders: "read_orders",
  products: "read_products",
};

interface FieldPlan {
  key: string;
  field: FieldNode;
  kind: "typename" | "scalar" | "object" | "connection";
  args: Record<string | symbol, unknown>;
  named?: GraphQLCompositeType;
  nodeType?: GraphQLCompositeType;
}

function strictResolve(
  view: View,
  field: FieldNode,
  type: GraphQLCompositeType,
  args: Record<string | symbol, unknown>,
) {
  if (!(field.name.value in view))
    throw new Error(`The Shopify stand-in does not implement ${type.name}.${field.name.value}`);
  const value = view[field.name.value];
  return typeof value === "function" ? value.call(view, args) : value;
}
