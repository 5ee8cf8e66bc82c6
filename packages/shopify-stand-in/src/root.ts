// Root Query and Mutation fields the stand-in implements. Anything else on QueryRoot or Mutation
// reaches the loud default resolver in execute.ts.
import { GraphQLError } from "graphql";
import type { PageArgs } from "./connections";
import { flowTriggerErrors } from "./flow";
import { readWebPixelSettings } from "./web-pixel";
import { type MetafieldRecord, gid, parseGid } from "./model";
import { customerSegmentMembers, type MembersArgs } from "./segment-members";
import { SegmentQueryError, parseSegmentQuery } from "./segment-query";
import { StoreError } from "./store";
import {
  type View,
  type ViewContext,
  Views,
  badRequest,
  customerSearch,
  filtered,
  orderSearch,
  productSearch,
} from "./views";

export interface BulkService {
  runQuery(
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: View | null; userErrors: unknown[] };
  runMutation(
    mutation: string,
    stagedUploadPath: string,
    clientIdentifier: string | null,
  ): { bulkOperation: View | null; userErrors: unknown[] };
  cancel(id: string): { bulkOperation: View | null; userErrors: unknown[] };
  view(id: number): View | null;
  current(type: "QUERY" | "MUTATION"): View | null;
  list(args: PageArgs & { query?: string | null; sortKey?: string | null }): unknown;
  stagedUploadsCreate(inputs: StagedUploadInput[]): unknown;
}

export interface StagedUploadInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: string | null;
  fileSize?: string | null;
}

export interface WebhookSubscriptionService {
  list(args: PageArgs & { topics?: string[] | null; reverse?: boolean | null }): unknown;
  create(topic: string, input: Record<string, unknown>): unknown;
  remove(id: string): unknown;
  view(id: number): View | null;
}

export interface ApiContext extends ViewContext {
  bulk: BulkService;
  webhookSubscriptions: WebhookSubscriptionService;
}

const userError = (
  field: string[] | null,
  message: string,
  extra: Record<string, unknown> = {},
) => ({
  field,
  message,
  ...extra,
});

/** Shopify accepts `tags` as a list or as one comma-separated string. */
function tagList(tags: string[]): string[] {
  return tags
    .flatMap((tag) => tag.split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function checkTags(tags: string[]) {
  if (tags.length === 0) return userError(["tags"], "Tags can't be blank");
  if (tags.length > 250) return userError(["tags"], "Tags cannot be more than 250");
  const long = tags.find((tag) => tag.length > 255);
  if (long) return userError(["tags"], "Tags is too long (maximum is 255 characters)");
  return null;
}

function tagsMutation(ctx: ApiContext, id: string, rawTags: string[], mode: "add" | "remove") {
  const views = new Views(ctx);
  const parsed = parseGid(id);
  const tags = tagList(rawTags);
  const invalid = checkTags(tags);
  if (!parsed) return { node: null, userErrors: [userError(["id"], "Invalid global id")] };
  if (invalid) return { node: null, userErrors: [invalid] };
  const { store } = ctx;
  requireScope(ctx, mode === "add" ? "tagsAdd" : "tagsRemove", WRITE_SCOPES[parsed.type]);
  try {
    switch (parsed.type) {
      case "Customer": {
        if (!store.customers.has(parsed.id)) break;
        if (mode === "add") store.addCustomerTags(parsed.id, tags);
        else store.removeCustomerTags(parsed.id, tags);
        return { node: views.node(id), userErrors: [] };
      }
      case "Order": {
        const order = store.orders.get(parsed.id);
        if (!order) break;
        const drop = new Set(tags.map((t) => t.toLowerCase()));
        store.updateOrder(parsed.id, {
          tags:
            mode === "add"
              ? [...order.tags, ...tags]
              : order.tags.filter((t) => !drop.has(t.toLowerCase())),
        });
        return { node: views.node(id), userErrors: [] };
      }
      case "Product": {
        const product = store.products.get(parsed.id);
        if (!product) break;
        const drop = new Set(tags.map((t) => t.toLowerCase()));
        store.updateProduct(parsed.id, {
          tags:
            mode === "add"
              ? [...new Set([...product.tags, ...tags])]
              : product.tags.filter((t) => !drop.has(t.toLowerCase())),
        });
        return { node: views.node(id), userErrors: [] };
      }
      default:
        return {
          node: null,
          userErrors: [
            userError(["id"], `The Shopify stand-in does not tag ${parsed.type} resources`),
          ],
        };
    }
  } catch (error) {
    if (error instanceof StoreError)
      return { node: null, userErrors: [userError(["tags"], error.message)] };
    throw error;
  }
  return { node: null, userErrors: [userError(["id"], `${parsed.type} does not exist`)] };
}

const METAFIELD_TYPES = new Set([
  "boolean",
  "json",
  "single_line_text_field",
  "multi_line_text_field",
  "number_integer",
  "number_decimal",
  "date",
  "date_time",
  "url",
  "color",
  "product_reference",
  "list.product_reference",
  "variant_reference",
  "list.variant_reference",
  "list.single_line_text_field",
  "rich_text_field",
  "money",
]);

function metafieldValueProblem(type: string, value: string, ctx: ApiContext): string | null {
  try {
    switch (type) {
      case "boolean":
        return value === "true" || value === "false" ? null : "Value must be true or false.";
      case "number_integer":
        return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
      case "number_decimal":
        return /^-?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
      case "json":
      case "money":
      case "rich_text_field":
      case "list.single_line_text_field":
        JSON.parse(value);
        return null;
      case "product_reference":
      case "variant_reference":
        return referenceProblem([value], type, ctx);
      case "list.product_reference":
      case "list.variant_reference": {
        const ids = JSON.parse(value);
        if (!Array.isArray(ids)) return "Value must be a JSON array of ids.";
        return referenceProblem(ids, type, ctx);
      }
      default:
        return null;
    }
  } catch {
    return "Value is invalid JSON.";
  }
}

function referenceProblem(ids: unknown[], type: string, ctx: ApiContext) {
  const want = type.includes("variant") ? "ProductVariant" : "Product";
  for (const id of ids) {
    const parsed = typeof id === "string" ? parseGid(id) : null;
    const exists =
      parsed?.type === want &&
      (want === "Product" ? ctx.store.products.has(parsed.id) : ctx.store.variants.has(parsed.id));
    if (!exists) return `Value references ${String(id)}, which is not an existing ${want}.`;
  }
  return null;
}

interface MetafieldInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

/** Metafield writes need write access to each owner's resource type (Shopify: ACCESS_DENIED). */
function requireOwnerScopes(ctx: ApiContext, field: string, ownerIds: string[]) {
  for (const ownerId of ownerIds)
    requireScope(ctx, field, WRITE_SCOPES[parseGid(ownerId)?.type ?? ""]);
}

function metafieldsSet(ctx: ApiContext, inputs: MetafieldInput[]) {
  const views = new Views(ctx);
  const { store } = ctx;
  requireOwnerScopes(
    ctx,
    "metafieldsSet",
    inputs.map((input) => input.ownerId),
  );
  if (inputs.length > 25)
    return {
      metafields: null,
      userErrors: [
        userError(["metafields"], "Exceeded the maximum metafields input limit of 25.", {
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        }),
      ],
    };
  const errors: unknown[] = [];
  const plans: {
    input: MetafieldInput;
    namespace: string;
    existing: MetafieldRecord | undefined;
    type: string;
  }[] = [];
  inputs.forEach((input, index) => {
    const namespace = views.expandNamespace(input.namespace);
    const owner = views.node(input.ownerId);
    if (
      !owner ||
      !["AppInstallation", "Product", "Customer", "Shop", "Order"].includes(
        String(owner.__typename),
      )
    ) {
      errors.push(
        userError(["metafields", String(index), "ownerId"], "Owner does not exist.", {
          code: "INVALID",
          elementIndex: index,
        }),
      );
      return;
    }
    const existing = [...store.metafields.values()].find(
      (m) => m.ownerGid === input.ownerId && m.namespace === namespace && m.key === input.key,
    );
    const type = input.type ?? existing?.type;
    if (!type) {
      errors.push(
        userError(["metafields", String(index), "type"], "Type can't be blank.", {
          code: "BLANK",
          elementIndex: index,
        }),
      );
      return;
    }
    if (!METAFIELD_TYPES.has(type)) {
      errors.push(
        userError(
          ["metafields", String(index), "type"],
          `The Shopify stand-in does not support metafield type ${type}.`,
          { code: "INVALID_TYPE", elementIndex: index },
        ),
      );
      return;
    }
    if (existing && existing.type !== type) {
      errors.push(
        userError(
          ["metafields", String(index), "type"],
          "Type does not match the existing metafield's type.",
          { code: "INVALID_TYPE", elementIndex: index },
        ),
      );
      return;
    }
    if (input.key.length < 2 || input.key.length > 64 || !/^[A-Za-z0-9_-]+$/.test(input.key)) {
      errors.push(
        userError(["metafields", String(index), "key"], "Key is invalid.", {
          code: "INVALID",
          elementIndex: index,
        }),
      );
      return;
    }
    const problem = metafieldValueProblem(type, input.value, ctx);
    if (problem) {
      errors.push(
        userError(["metafields", String(index), "value"], problem, {
          code: "INVALID_VALUE",
          elementIndex: index,
        }),
      );
      return;
    }
    if (input.compareDigest && existing) {
      const digest = String(views.metafield(existing).compareDigest);
      if (digest !== input.compareDigest) {
        errors.push(
          userError(
            ["metafields", String(index)],
            "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
            { code: "STALE_OBJECT", elementIndex: index },
          ),
        );
        return;
      }
    }
    plans.push({ input, namespace, existing, type });
  });
  // metafieldsSet is atomic: one bad input and nothing is written.
  if (errors.length) return { metafields: [], userErrors: errors };
  const now = store.clock();
  const written = plans.map(({ input, namespace, existing, type }) => {
    const record: MetafieldRecord = existing ?? {
      id: store.newId("Metafield"),
      ownerGid: input.ownerId,
      namespace,
      key: input.key,
      type,
      value: input.value,
      createdAt: now,
      updatedAt: now,
    };
    record.value = input.value;
    record.updatedAt = now;
    store.metafields.set(record.id, record);
    return views.metafield(record);
  });
  return { metafields: written, userErrors: [] };
}

/** Shopify's refusal of a segment query (null: it parses). */
function segmentQueryProblem(query: string): string | null {
  try {
    parseSegmentQuery(query);
    return null;
  } catch (error) {
    if (error instanceof SegmentQueryError) return error.message;
    throw error;
  }
}

function segmentMutation(ctx: ApiContext, name: string, query: string, existingId?: number) {
  const views = new Views(ctx);
  const { store } = ctx;
  if (!name.trim())
    return { segment: null, userErrors: [userError(["name"], "Name can't be blank")] };
  if (name.length > 255)
    return {
      segment: null,
      userErrors: [userError(["name"], "Name is too long (maximum is 255 characters)")],
    };
  const taken = [...store.segments.values()].some((s) => s.name === name && s.id !== existingId);
  if (taken)
    return { segment: null, userErrors: [userError(["name"], "Name has already been taken")] };
  const problem = segmentQueryProblem(query);
  if (problem) return { segment: null, userErrors: [userError(["query"], problem)] };
  const now = store.clock();
  if (existingId !== undefined) {
    const segment = store.segments.get(existingId)!;
    Object.assign(segment, { name, query, updatedAt: now });
    store.emit("segments/update", {
      id: segment.id,
      name,
      query,
      creationDate: new Date(segment.createdAt).toISOString(),
      lastEditDate: new Date(now).toISOString(),
    });
    return { segment: views.segment(segment), userErrors: [] };
  }
  const segment = { id: store.newId("Segment"), name, query, createdAt: now, updatedAt: now };
  store.segments.set(segment.id, segment);
  store.emit("segments/create", {
    id: segment.id,
    name,
    query,
    creationDate: new Date(now).toISOString(),
    lastEditDate: new Date(now).toISOString(),
  });
  return { segment: views.segment(segment), userErrors: [] };
}

function count(total: number, limit: number | null | undefined) {
  const cap = limit === undefined ? 10_000 : limit;
  if (cap !== null && total > cap) return { count: cap, precision: "AT_LEAST" };
  return { count: total, precision: "EXACT" };
}

/** Access scopes Shopify requires per root field (a write scope includes its read scope). */
const REQUIRED_SCOPES: Record<string, string> = {
  customers: "read_customers",
  customer: "read_customers",
  customersCount: "read_customers",
  segments: "read_customers",
  segment: "read_customers",
  segmentsCount: "read_customers",
  customerSegmentMembers: "read_customers",
  segmentCreate: "write_customers",
  segmentUpdate: "write_customers",
  segmentDelete: "write_customers",
  orders: "read_orders",
  order: "read_orders",
  ordersCount: "read_orders",
  products: "read_products",
  product: "read_products",
  productVariant: "read_products",
  productsCount: "read_products",
  collections: "read_products",
  collection: "read_products",
  themes: "read_themes",
  theme: "read_themes",
  shopLocales: "read_locales",
  webPixel: "read_pixels",
  webPixelCreate: "write_pixels",
  webPixelUpdate: "write_pixels",
};

/**
 * A second scope some fields need besides their own: connecting a web pixel lets it receive
 * customer events, so Shopify asks for read_customer_events too (and says so in the refusal).
 */
const ALSO_REQUIRED: Record<string, string> = {
  webPixelCreate: "read_customer_events",
  webPixelUpdate: "read_customer_events",
};

const DEFAULT_LOCALE = { locale: "en", name: "English", primary: true, published: true };

/**
 * Write access to a resource type, which writing its tags or metafields needs too (even in the
 * app's own `$app` namespace). App-data metafields (on the AppInstallation) need none.
 */
const WRITE_SCOPES: Record<string, string> = {
  Customer: "write_customers",
  Order: "write_orders",
  Product: "write_products",
};

/** The read scope a node of each type needs when fetched through `node` / `nodes`. */
const NODE_SCOPES: Record<string, string> = {
  Customer: "read_customers",
  Segment: "read_customers",
  Order: "read_orders",
  Product: "read_products",
  ProductVariant: "read_products",
  Collection: "read_products",
};

function typeOfId(id: string) {
  return /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] ?? "";
}

function hasScope(scopes: string[], scope: string) {
  return (
    scopes.includes(scope) ||
    (scope.startsWith("read_") && scopes.includes(`write_${scope.slice(5)}`))
  );
}

function requireScope(ctx: ApiContext, field: string, scope: string | undefined) {
  const also = ALSO_REQUIRED[field];
  if ((!scope || hasScope(ctx.scopes, scope)) && (!also || hasScope(ctx.scopes, also))) return;
  const requiredAccess = `\`${scope}\` access scope.${
    also ? ` Also: The app requires ${also} access scope and user access permission.` : ""
  }`;
  throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess,
    },
  });
}

/** The root value handed to graphql-js: one property per implemented root field. */
export function rootValue(ctx: ApiContext): View {
  const root = rootFields(ctx);
  for (const [field, scope] of Object.entries(REQUIRED_SCOPES)) {
    const resolve = root[field] as (args: unknown) => unknown;
    root[field] = (args: unknown) => {
      requireScope(ctx, field, scope);
      return resolve(args);
    };
  }
  return root;
}

function rootFields(ctx: ApiContext): View {
  const views = new Views(ctx);
  const { store } = ctx;
  return {
    // ---- QueryRoot
    shop: () => views.shop(),
    shopLocales: ({ published }: { published?: boolean }) =>
      (store.shop.locales ?? [DEFAULT_LOCALE])
        .filter((entry) => !published || entry.published)
        .map((entry) => ({ __typename: "ShopLocale", ...entry, marketWebPresences: [] })),
    customers: (args: object) => views.customers(args),
    customer: ({ id }: { id: string }) => nodeOfType(views, id, "Customer"),
    orders: (args: object) => views.orders(args),
    order: ({ id }: { id: string }) => nodeOfType(views, id, "Order"),
    products: (args: object) => views.products(args),
    product: ({ id }: { id: string }) => nodeOfType(views, id, "Product"),
    productVariant: ({ id }: { id: string }) => nodeOfType(views, id, "ProductVariant"),
    collections: (args: object) => views.collections(args),
    collection: ({ id }: { id: string }) => nodeOfType(views, id, "Collection"),
    node: ({ id }: { id: string }) => {
      requireScope(ctx, "node", NODE_SCOPES[typeOfId(id)]);
      return views.node(id);
    },
    // Each id is checked on its own: a denied one is null with an ACCESS_DENIED error at its
    // index, the others still resolve (as Shopify answers a mixed list).
    nodes: ({ ids }: { ids: string[] }) => {
      if (ids.length > 250) throw badRequest("nodes accepts at most 250 ids");
      return ids.map((id) => {
        try {
          requireScope(ctx, "nodes", NODE_SCOPES[typeOfId(id)]);
        } catch (error) {
          return error as GraphQLError;
        }
        return views.node(id);
      });
    },
    customersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      count(filtered(store.customers.values(), query, customerSearch(store)).length, limit),
    ordersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      count(
        filtered(views.visibleOrders(store.orders.values()), query, orderSearch()).length,
        limit,
      ),
    productsCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      count(filtered(store.products.values(), query, productSearch()).length, limit),
    currentAppInstallation: () => views.appInstallation(),
    appInstallation: ({ id }: { id?: string }) =>
      id ? nodeOfType(views, id, "AppInstallation") : views.appInstallation(),
    themes: (args: object) => views.themes(args),
    theme: ({ id }: { id: string }) => {
      const parsed = parseGid(id);
      const theme = parsed?.type === "OnlineStoreTheme" ? store.themes.get(parsed.id) : undefined;
      return theme ? views.theme(theme) : null;
    },
    segments: (args: object) => views.segments(args),
    segment: ({ id }: { id: string }) => nodeOfType(views, id, "Segment"),
    segmentsCount: () => count(store.segments.size, null),
    customerSegmentMembers: (args: MembersArgs) => customerSegmentMembers(ctx, args),
    bulkOperation: ({ id }: { id: string }) => nodeOfType(views, id, "BulkOperation"),
    currentBulkOperation: ({ type }: { type?: "QUERY" | "MUTATION" }) =>
      ctx.bulk.current(type ?? "QUERY"),
    bulkOperations: (args: object) => ctx.bulk.list(args),
    webhookSubscriptions: (args: object) => ctx.webhookSubscriptions.list(args),
    webhookSubscription: ({ id }: { id: string }) => nodeOfType(views, id, "WebhookSubscription"),

    // ---- Mutation
    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) => tagsMutation(ctx, id, tags, "add"),
    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) =>
      tagsMutation(ctx, id, tags, "remove"),
    metafieldsSet: ({ metafields }: { metafields: MetafieldInput[] }) =>
      metafieldsSet(ctx, metafields),
    metafieldsDelete: ({
      metafields,
    }: {
      metafields: { ownerId: string; namespace: string; key: string }[];
    }) => {
      requireOwnerScopes(
        ctx,
        "metafieldsDelete",
        metafields.map((identifier) => identifier.ownerId),
      );
      return {
        deletedMetafields: metafields.map((identifier) => {
          const namespace = views.expandNamespace(identifier.namespace);
          const found = [...store.metafields.values()].find(
            (m) =>
              m.ownerGid === identifier.ownerId &&
              m.namespace === namespace &&
              m.key === identifier.key,
          );
          if (!found) return null;
          store.metafields.delete(found.id);
          return { ownerId: identifier.ownerId, namespace, key: identifier.key };
        }),
        userErrors: [],
      };
    },
    segmentCreate: ({ name, query }: { name: string; query: string }) =>
      segmentMutation(ctx, name, query),
    segmentUpdate: ({ id, name, query }: { id: string; name?: string; query?: string }) => {
      const parsed = parseGid(id);
      const existing = parsed?.type === "Segment" ? store.segments.get(parsed.id) : undefined;
      if (!existing)
        return { segment: null, userErrors: [userError(["id"], "Segment does not exist")] };
      return segmentMutation(ctx, name ?? existing.name, query ?? existing.query, existing.id);
    },
    segmentDelete: ({ id }: { id: string }) => {
      const parsed = parseGid(id);
      if (parsed?.type !== "Segment" || !store.segments.delete(parsed.id))
        return {
          deletedSegmentId: null,
          userErrors: [userError(["id"], "Segment does not exist")],
        };
      store.emit("segments/delete", { id: parsed.id });
      return { deletedSegmentId: id, userErrors: [] };
    },
    stagedUploadsCreate: ({ input }: { input: StagedUploadInput[] }) =>
      ctx.bulk.stagedUploadsCreate(input),
    bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects: boolean }) =>
      ctx.bulk.runQuery(query, groupObjects),
    bulkOperationRunMutation: (args: {
      mutation: string;
      stagedUploadPath: string;
      clientIdentifier?: string | null;
    }) => ctx.bulk.runMutation(args.mutation, args.stagedUploadPath, args.clientIdentifier ?? null),
    bulkOperationCancel: ({ id }: { id: string }) => ctx.bulk.cancel(id),
    webhookSubscriptionCreate: ({
      topic,
      webhookSubscription,
    }: {
      topic: string;
      webhookSubscription: Record<string, unknown>;
    }) => ctx.webhookSubscriptions.create(topic, webhookSubscription),
    webhookSubscriptionDelete: ({ id }: { id: string }) => ctx.webhookSubscriptions.remove(id),
    webPixel: ({ id }: { id?: string }) => webPixelView(ctx, id),
    webPixelCreate: ({ webPixel }: { webPixel: { settings: unknown } }) => {
      if (store.webPixel)
        return {
          webPixel: null,
          userErrors: [userError(["webPixel"], "Web pixel is taken.", { code: "TAKEN" })],
        };
      const read = readWebPixelSettings(webPixel.settings);
      if (!read.ok) return { webPixel: null, userErrors: [read.error] };
      store.webPixel = { id: store.newId("WebPixel"), settings: read.settings };
      return { webPixel: webPixelView(ctx), userErrors: [] };
    },
    webPixelUpdate: ({ id, webPixel }: { id: string; webPixel: { settings: unknown } }) => {
      const parsed = parseGid(id);
      if (parsed?.type !== "WebPixel" || store.webPixel?.id !== parsed.id)
        return {
          webPixel: null,
          userErrors: [userError(["id"], "Web pixel not found.", { code: "NOT_FOUND" })],
        };
      const read = readWebPixelSettings(webPixel.settings);
      if (!read.ok) return { webPixel: null, userErrors: [read.error] };
      store.webPixel.settings = read.settings;
      return { webPixel: webPixelView(ctx), userErrors: [] };
    },
    flowTriggerReceive: ({ handle, payload }: { handle?: string; payload?: unknown }) => {
      const userErrors = flowTriggerErrors(
        handle,
        payload,
        (id) => store.customers.has(id),
        hasScope(ctx.scopes, "read_customers"),
      );
      if (userErrors.length === 0)
        store.flowTriggers.push({
          handle: handle!,
          payload: payload as Record<string, unknown>,
          receivedAt: store.clock(),
        });
      return { userErrors };
    },
  };
}

/**
 * The app's pixel (the one given by id, or without one the app's own), settings as a JSON-encoded
 * string as Shopify returns them. None: Shopify answers NOT_FOUND rather than null (an assumption,
 * not checked against a live shop; the app takes either to mean "none").
 */
function webPixelView(ctx: ApiContext, id?: string) {
  const pixel = ctx.store.webPixel;
  const wanted =
    id === undefined || (parseGid(id)?.type === "WebPixel" && parseGid(id)?.id === pixel?.id);
  if (!pixel || !wanted)
    throw new GraphQLError("No web pixel was found for this app.", {
      extensions: { code: "NOT_FOUND" },
    });
  return { id: gid("WebPixel", pixel.id), settings: JSON.stringify(pixel.settings) };
}

function nodeOfType(views: Views, id: string, type: string) {
  const parsed = parseGid(id);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "BAD_REQUEST" } });
  if (parsed.type !== type) return null;
  return views.node(gid(type, parsed.id));
}
