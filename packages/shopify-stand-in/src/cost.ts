// Shopify's query cost (https://shopify.dev/docs/api/usage/limits): scalars and enums 0, objects 1,
// connections 2 + page size × the cost of one node, interfaces/unions the most expensive of their
// possible selections, 10 per mutation. Plus the leaky bucket that meters it.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from "graphql";
import { MAX_PAGE_SIZE } from "./connections";

export const MAX_QUERY_COST = 1000;
export const MUTATION_COST = 10;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

interface Entry {
  node: FieldNode;
  owner: GraphQLCompositeType;
}

function argument(node: FieldNode, name: string, walk: Walk): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return valueFromASTUntyped(arg.value as ValueNode, walk.variables);
}

/** Fields of a selection set grouped by the type condition they sit under. */
function collect(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  walk: Walk,
  into = new Map<GraphQLCompositeType, Entry[]>(),
  owner: GraphQLCompositeType = parent,
) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const list = into.get(owner) ?? [];
      list.push({ node: selection, owner });
      into.set(owner, list);
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition
        ? (walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType)
        : owner;
      collect(fragment.selectionSet, parent, walk, into, condition ?? owner);
    }
  }
  return into;
}

function fieldDef(
  owner: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(owner) || isInterfaceType(owner)) return owner.getFields()[name];
  return undefined;
}

function isConnection(def: GraphQLField<unknown, unknown>) {
  const type = getNamedType(def.type);
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

function pageSize(node: FieldNode, walk: Walk, fieldName: string): number {
  const first = argument(node, "first", walk);
  const last = argument(node, "last", walk);
  const size = (first ?? last) as number | null | undefined;
  if (typeof size !== "number") return 0;
  const max = fieldName === "customerSegmentMembers" ? 1000 : MAX_PAGE_SIZE;
  if (size > max)
    throw new GraphQLError(
      `The maximum page size is ${max}, but ${size} was requested (argument ${first !== undefined && first !== null ? "first" : "last"}).`,
      {
        nodes: [node],
        extensions: { code: "MAX_PAGE_SIZE_EXCEEDED", maxPageSize: max, requested: size },
      },
    );
  return size;
}

function selectionCost(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  walk: Walk,
): number {
  const groups = collect(selectionSet, parent, walk);
  const groupCost = (entries: Entry[]) =>
    entries.reduce((sum, entry) => sum + fieldCost(entry, walk), 0);
  if (!isAbstractType(parent)) {
    let total = 0;
    for (const entries of groups.values()) total += groupCost(entries);
    return total;
  }
  // Interfaces and unions: the shared fields plus the most expensive type-specific selection.
  let common = 0;
  let widest = 0;
  for (const [owner, entries] of groups) {
    if (owner === parent) common += groupCost(entries);
    else widest = Math.max(widest, groupCost(entries));
  }
  return common + widest;
}

/** Cost of one node of a connection: its `edges { node }` and `nodes` selections. */
function connectionNodeCost(node: FieldNode, connectionType: GraphQLCompositeType, walk: Walk) {
  let cost = 0;
  if (!node.selectionSet) return 0;
  for (const entries of collect(node.selectionSet, connectionType, walk).values()) {
    for (const { node: child } of entries) {
      const name = child.name.value;
      if (name === "edges" && child.selectionSet) {
        const edgeType = getNamedType(
          fieldDef(connectionType, "edges")!.type,
        ) as GraphQLCompositeType;
        for (const edgeEntries of collect(child.selectionSet, edgeType, walk).values())
          for (const { node: edgeChild } of edgeEntries)
            if (edgeChild.name.value === "node")
              cost = Math.max(cost, fieldCost({ node: edgeChild, owner: edgeType }, walk));
      } else if (name === "nodes") {
        cost = Math.max(cost, fieldCost({ node: child, owner: connectionType }, walk));
      }
    }
  }
  return cost;
}

function fieldCost({ node, owner }: Entry, walk: Walk): number {
  const def = fieldDef(owner, node.name.value);
  if (!def) return 0;
  const type = getNamedType(def.type);
  if (!isCompositeType(type)) return 0;
  if (isConnection(def)) {
    const size = pageSize(node, walk, def.name);
    return 2 + size * connectionNodeCost(node, type, walk);
  }
  const each = 1 + (node.selectionSet ? selectionCost(node.selectionSet, type, walk) : 0);
  const unwrapped = isNonNullType(def.type) ? def.type.ofType : def.type;
  if (isListType(unwrapped)) {
    const ids = argument(node, "ids", walk);
    if (Array.isArray(ids)) return ids.length * each;
  }
  return each;
}

function walkFor(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  return { schema, fragments, variables };
}

/** The requested cost of an operation, computed before it runs; throws on oversized pages. */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const walk = walkFor(schema, document, variables);
  if (operation.operation === "mutation") {
    const root = schema.getMutationType()!;
    let total = 0;
    for (const entries of collect(operation.selectionSet, root, walk).values()) {
      for (const entry of entries) {
        if (entry.node.name.value === "__typename") continue;
        // Page sizes inside a mutation's payload are still checked.
        fieldCost(entry, walk);
        total += MUTATION_COST;
      }
    }
    return total;
  }
  return selectionCost(operation.selectionSet, schema.getQueryType()!, walk);
}

/** The actual cost: the same formula over what was returned (connections sized by real nodes). */
export function actualCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data: Record<string, unknown> | null | undefined,
): number {
  const walk = walkFor(schema, document, variables);
  if (operation.operation === "mutation") {
    let total = 0;
    for (const entries of collect(operation.selectionSet, schema.getMutationType()!, walk).values())
      for (const entry of entries)
        if (entry.node.name.value !== "__typename") total += MUTATION_COST;
    return total;
  }
  if (!data) return 0;
  return actualSelection(operation.selectionSet, schema.getQueryType()!, data, walk);
}

function actualSelection(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  data: Record<string, unknown>,
  walk: Walk,
): number {
  let total = 0;
  const seen = new Set<string>();
  for (const entries of collect(selectionSet, parent, walk).values()) {
    for (const { node, owner } of entries) {
      const key = node.alias?.value ?? node.name.value;
      if (seen.has(key) || !(key in data)) continue;
      seen.add(key);
      total += actualField(node, owner, data[key], walk);
    }
  }
  return total;
}

function actualField(
  node: FieldNode,
  owner: GraphQLCompositeType,
  value: unknown,
  walk: Walk,
): number {
  const def = fieldDef(owner, node.name.value);
  if (!def || value === null || value === undefined) return 0;
  const type = getNamedType(def.type);
  if (!isCompositeType(type)) return 0;
  if (Array.isArray(value))
    return value.reduce((sum: number, item) => sum + actualField(node, owner, item, walk), 0);
  const object = value as Record<string, unknown>;
  if (isConnection(def) && node.selectionSet) {
    let nodesCost = 0;
    for (const entries of collect(node.selectionSet, type, walk).values()) {
      for (const { node: child } of entries) {
        const key = child.alias?.value ?? child.name.value;
        const list = object[key];
        if (!Array.isArray(list)) continue;
        const edgeType = getNamedType(
          fieldDef(type, child.name.value)!.type,
        ) as GraphQLCompositeType;
        let cost = 0;
        for (const item of list) {
          if (child.name.value === "nodes") cost += actualField(child, type, item, walk);
          else if (child.selectionSet)
            cost += actualSelection(
              child.selectionSet,
              edgeType,
              item as Record<string, unknown>,
              walk,
            );
        }
        nodesCost = Math.max(nodesCost, cost);
      }
    }
    return 2 + nodesCost;
  }
  const concrete =
    isAbstractType(type) && typeof object.__typename === "string"
      ? ((walk.schema.getType(object.__typename) as GraphQLCompositeType) ?? type)
      : type;
  return 1 + (node.selectionSet ? actualSelection(node.selectionSet, concrete, object, walk) : 0);
}

/** Shopify's leaky bucket: fills at restoreRate points/s up to maximumAvailable. */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.available = maximumAvailable;
    this.updatedAt = clock();
  }

  private refill() {
    const now = this.clock();
    this.available = Math.min(
      this.maximumAvailable,
      this.available + ((now - this.updatedAt) / 1000) * this.restoreRate,
    );
    this.updatedAt = now;
  }

  /** Takes `cost` points if available; false (nothing taken) when the bucket is short. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number) {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  setLimits(maximumAvailable: number, restoreRate: number) {
    this.refill();
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.available = Math.min(this.available, maximumAvailable);
  }

  status() {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
