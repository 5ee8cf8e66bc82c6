// The stand-in's HTTP server (node:http): Admin GraphQL, token exchange, bulk result downloads
// and staged uploads, for one shop.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { BulkOperations } from "./bulk";
import { connection } from "./connections";
import { LeakyBucket } from "./cost";
import { executeGraphql } from "./execute";
import { generateStore } from "./generator";
import { gid, isoTime, parseGid } from "./model";
import { type ApiContext, type WebhookSubscriptionService, rootValue } from "./root";
import { API_VERSION, adminSchema } from "./schema";
import type { Store } from "./store";
import { APP_WEBHOOK_TOPICS, WebhookDelivery } from "./webhooks";

export interface StandInOptions {
  shop: string;
  accessToken: string;
  apiSecret: string;
  /** The app's client id; token exchange checks it when given. */
  apiKey?: string;
  store?: Store;
  generate?: { customers: number; seed?: number; now?: Date };
  /** App URL that receives webhooks, e.g. http://127.0.0.1:3000/webhooks. */
  webhooksTo?: string;
  /** Topics delivered to webhooksTo (default: the app's shopify.app.toml subscriptions). */
  webhookTopics?: string[];
  throttle?: { maximumAvailable: number; restoreRate: number };
  port?: number;
  host?: string;
  scopes?: string[];
  /** Seeds the webhook switches' randomness. */
  seed?: number;
}

export type DownloadFault = "error" | "reset" | "short";

export interface StandIn {
  origin: string;
  shop: string;
  /** The app's API key (its `$app` metafield namespaces are `app--<apiKey>`). */
  apiKey: string;
  store: Store;
  webhooks: WebhookDelivery;
  bulk: BulkOperations;
  /**
   * Faults for the next bulk result downloads, one per download in order: an HTTP 500, a
   * connection reset halfway through, or a file that ends early at a line boundary with 200.
   */
  downloadFaults: DownloadFault[];
  /** Change the bucket, e.g. to Shopify Plus: { maximumAvailable: 20000, restoreRate: 1000 }. */
  setThrottle(limits: { maximumAvailable: number; restoreRate: number }): void;
  throttleStatus(): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  /** Sends app/uninstalled and stops accepting the access token, as Shopify does. */
  uninstall(): void;
  /** The merchant changes the store's time zone or currency: Shopify sends shop/update. */
  updateShop(changes: { ianaTimezone?: string; currencyCode?: string }): void;
  /** GraphQL requests served so far, by outcome. */
  stats(): { requests: number; throttled: number; unauthorized: number };
  /**
   * Stops serving. Webhook deliveries under way are finished first, unless `abandonWebhooks`
   * (the app has stopped: a backlog would only be retried into a closed port).
   */
  close(options?: { abandonWebhooks?: boolean }): Promise<void>;
}

const DEFAULT_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_all_orders",
  "read_products",
  "write_products",
  "read_themes",
  "read_locales",
  "write_pixels",
  "read_customer_events",
];

function readBody(request: IncomingMessage, limit = 110 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error("Request body too large"));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Serves a bulk result file with a fault: half of it, then a reset or a clean (short) end. */
function serveWithFault(file: string, fault: DownloadFault, response: ServerResponse) {
  if (fault === "error") return sendJson(response, 500, { errors: "Internal Server Error" });
  const content = readFileSync(file);
  const half = content.subarray(0, Math.floor(content.length / 2));
  response.writeHead(200, { "Content-Type": "application/jsonl" });
  if (fault === "short") return void response.end(half.subarray(0, half.lastIndexOf(10) + 1));
  response.write(half, () => response.socket?.destroy());
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function verifySessionToken(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (typeof payload.exp === "number" && payload.exp * 1000 < Date.now() - 10_000) return null;
    return payload;
  } catch {
    return null;
  }
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  if (!options.shop || !options.accessToken || !options.apiSecret)
    throw new Error("startStandIn needs shop, accessToken and apiSecret");
  const schema = adminSchema();
  const store =
    options.store ??
    (options.generate ? generateStore({ ...options.generate }) : generateStore({ customers: 0 }));
  store.shop.domain = options.shop;
  const throttle =
    options.throttle ??
    (store.shop.plusPlan
      ? { maximumAvailable: 20_000, restoreRate: 1000 }
      : { maximumAvailable: 2000, restoreRate: 100 });
  const bucket = new LeakyBucket(throttle.maximumAvailable, throttle.restoreRate);
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const apiKey = options.apiKey ?? process.env.SHOPIFY_API_KEY ?? "stand-in-api-key";
  const dataDir = mkdtempSync(path.join(tmpdir(), "shopify-stand-in-"));
  let origin = "";
  let installed = true;
  const counters = { requests: 0, throttled: 0, unauthorized: 0 };

  const webhooks = new WebhookDelivery(options.shop, options.apiSecret, options.seed ?? 1);
  if (options.webhooksTo)
    webhooks.targets.push({
      url: options.webhooksTo,
      topics: options.webhookTopics ?? APP_WEBHOOK_TOPICS,
    });
  const unsubscribe = store.subscribe((change) => webhooks.deliver(change));

  // Shop-specific subscriptions made through webhookSubscriptionCreate.
  const subscriptions = new Map<
    number,
    {
      id: number;
      topic: string;
      uri: string;
      createdAt: number;
      target: { url: string; topics: string[] };
    }
  >();
  const subscriptionView = (id: number) => {
    const sub = subscriptions.get(id);
    if (!sub) return null;
    return {
      __typename: "WebhookSubscription",
      id: gid("WebhookSubscription", sub.id),
      legacyResourceId: String(sub.id),
      topic: sub.topic,
      uri: sub.uri,
      callbackUrl: sub.uri,
      format: "JSON",
      includeFields: [],
      metafieldNamespaces: [],
      filter: null,
      name: null,
      apiVersion: { handle: API_VERSION, displayName: API_VERSION, supported: true },
      createdAt: isoTime(sub.createdAt),
      updatedAt: isoTime(sub.createdAt),
      endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: sub.uri },
    };
  };
  const topicName = (topic: string) =>
    topic.toLowerCase().replace(/_/, "/").replace("customer/tags/", "customer.tags_");
  const webhookSubscriptions: WebhookSubscriptionService = {
    list: (args) => {
      const topics = (args as { topics?: string[] | null }).topics;
      const items = [...subscriptions.values()].filter(
        (sub) => !topics || topics.includes(sub.topic),
      );
      return connection(
        { items, sortValue: (s) => s.id, id: (s) => s.id, reverse: Boolean(args.reverse) },
        args,
        (s) => subscriptionView(s.id),
      );
    },
    create: (topic, input) => {
      const uri = String(input.uri ?? input.callbackUrl ?? "");
      if (!/^https?:\/\//.test(uri))
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address is invalid" }],
        };
      if ([...subscriptions.values()].some((s) => s.topic === topic && s.uri === uri))
        return {
          webhookSubscription: null,
          userErrors: [
            {
              field: ["webhookSubscription", "callbackUrl"],
              message: "Address for this topic has already been taken",
            },
          ],
        };
      const id = store.newId("WebhookSubscription");
      const target = { url: uri, topics: [topicName(topic)] };
      subscriptions.set(id, { id, topic, uri, createdAt: store.clock(), target });
      webhooks.targets.push(target);
      return { webhookSubscription: subscriptionView(id), userErrors: [] };
    },
    remove: (id) => {
      const parsed = parseGid(id);
      const sub = parsed ? subscriptions.get(parsed.id) : undefined;
      if (!sub)
        return {
          deletedWebhookSubscriptionId: null,
          userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
        };
      subscriptions.delete(sub.id);
      webhooks.targets.splice(webhooks.targets.indexOf(sub.target), 1);
      return { deletedWebhookSubscriptionId: id, userErrors: [] };
    },
    view: subscriptionView,
  };

  const appInstallationId = store.newId("AppInstallation");
  const context = (): ApiContext => ({
    store,
    appInstallationId,
    apiKey,
    appHandle: "persegment",
    scopes,
    bulk,
    webhookSubscriptions,
    bulkOperationView: (id) => bulk.view(id),
    webhookSubscriptionView: subscriptionView,
  });
  const bulk: BulkOperations = new BulkOperations(schema, store, dataDir, () => origin, context);
  const downloadFaults: DownloadFault[] = [];

  const handleGraphql = async (
    request: IncomingMessage,
    response: ServerResponse,
    version: string,
  ) => {
    counters.requests++;
    const token = request.headers["x-shopify-access-token"];
    const shopHeader = request.headers["x-shopify-shop-domain"];
    if (
      !installed ||
      token !== options.accessToken ||
      (shopHeader && shopHeader !== options.shop)
    ) {
      counters.unauthorized++;
      return sendJson(response, 401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
    if (version !== API_VERSION)
      return sendJson(response, 404, {
        errors: `The Shopify stand-in serves API version ${API_VERSION} only, not ${version}`,
      });
    const raw = (await readBody(request, 10 * 1024 * 1024)).toString("utf8");
    let body: Record<string, unknown>;
    if (String(request.headers["content-type"] ?? "").includes("application/graphql"))
      body = { query: raw };
    else {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(response, 400, {
          errors: { query: "Required parameter missing or invalid" },
        });
      }
    }
    const ctx = context();
    const outcome = await executeGraphql(
      { schema, bucket, rootValue: rootValue(ctx), contextValue: ctx },
      body,
    );
    const errors = (outcome.body as { errors?: { extensions?: { code?: string } }[] }).errors;
    if (Array.isArray(errors) && errors.some((e) => e.extensions?.code === "THROTTLED"))
      counters.throttled++;
    sendJson(response, outcome.status, outcome.body, {
      "X-Request-Id": randomUUID(),
      "X-Shopify-API-Version": API_VERSION,
    });
  };

  const handleTokenExchange = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = (await readBody(request, 1024 * 1024)).toString("utf8");
    let params: Record<string, string>;
    try {
      params = String(request.headers["content-type"] ?? "").includes("json")
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return sendJson(response, 400, {
        error: "invalid_request",
        error_description: "Body must be JSON or form encoded",
      });
    }
    if (
      params.client_secret !== options.apiSecret ||
      (options.apiKey && params.client_id !== options.apiKey)
    )
      return sendJson(response, 401, {
        error: "invalid_client",
        error_description: "Client credentials are invalid",
      });
    if (params.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      const claims = verifySessionToken(String(params.subject_token ?? ""), options.apiSecret);
      const dest = claims ? String(claims.dest ?? "").replace(/^https:\/\//, "") : "";
      if (!claims || dest !== options.shop)
        return sendJson(response, 400, {
          error: "invalid_subject_token",
          error_description: "Session token is invalid or not for this shop",
        });
      installed = true;
      const online =
        params.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token";
      if (online)
        return sendJson(response, 200, {
          access_token: options.accessToken,
          scope: scopes.join(","),
          expires_in: 86_399,
          associated_user_scope: scopes.join(","),
          associated_user: {
            id: Number(claims.sub) || 1,
            first_name: "Stand-in",
            last_name: "Staff",
            email: "staff@example.com",
            email_verified: true,
            account_owner: true,
            locale: "en",
            collaborator: false,
          },
        });
      return sendJson(response, 200, {
        access_token: options.accessToken,
        scope: scopes.join(","),
      });
    }
    if (params.grant_type === "client_credentials" || params.code)
      return sendJson(response, 200, {
        access_token: options.accessToken,
        scope: scopes.join(","),
      });
    return sendJson(response, 400, { error: "unsupported_grant_type" });
  };

  const handleUpload = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const form = await new Request("http://stand-in/upload", {
      method: "POST",
      headers: { "content-type": String(request.headers["content-type"] ?? "") },
      body: new Uint8Array(body),
    })
      .formData()
      .catch(() => null);
    const key = form?.get("key");
    const file = form?.get("file");
    if (typeof key !== "string" || !file || typeof file === "string") {
      response.writeHead(400, { "Content-Type": "application/xml" });
      return response.end(
        "<Error><Code>InvalidArgument</Code><Message>A multipart form with key and file is required.</Message></Error>",
      );
    }
    if (!bulk.acceptUpload(key, Buffer.from(await file.arrayBuffer()))) {
      response.writeHead(403, { "Content-Type": "application/xml" });
      return response.end(
        "<Error><Code>AccessDenied</Code><Message>Unknown upload key.</Message></Error>",
      );
    }
    response.writeHead(201, { "Content-Type": "application/xml" });
    response.end(
      `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${origin}/staged-uploads/${key}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`,
    );
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const graphqlMatch = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    const handle = async () => {
      if (graphqlMatch && request.method === "POST")
        return handleGraphql(request, response, graphqlMatch[1]);
      if (url.pathname === "/admin/oauth/access_token" && request.method === "POST")
        return handleTokenExchange(request, response);
      if (url.pathname === "/staged-uploads" && request.method === "POST")
        return handleUpload(request, response);
      const result = /^\/bulk-results\/(\d+)\.jsonl$/.exec(url.pathname);
      if (result && request.method === "GET") {
        const file = bulk.filePath(Number(result[1]));
        if (!file) return sendJson(response, 404, { errors: "Not Found" });
        const fault = downloadFaults.shift();
        if (fault) return serveWithFault(file, fault, response);
        response.writeHead(200, { "Content-Type": "application/jsonl" });
        // Large reads: this process also prepares the next exports, and in 64 KB turns between
        // those steps it served the file slower than Shopify's storage does.
        return void createReadStream(file, { highWaterMark: 1 << 20 }).pipe(response);
      }
      sendJson(response, 404, { errors: "Not Found" });
    };
    handle().catch((error) => {
      console.error("[stand-in] request failed:", error);
      if (!response.headersSent) sendJson(response, 500, { errors: "Internal Server Error" });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  /** The shop as Shopify's shop webhooks carry it (REST shape). */
  const shopPayload = () => ({
    id: 1,
    name: store.shop.name,
    email: `owner@${options.shop}`,
    domain: options.shop,
    myshopify_domain: options.shop,
    country_code: "US",
    currency: store.shop.currencyCode,
    iana_timezone: store.shop.ianaTimezone,
    plan_display_name: store.shop.plusPlan ? "Shopify Plus" : "Basic",
    created_at: null,
    updated_at: null,
  });

  return {
    origin,
    apiKey,
    shop: options.shop,
    store,
    webhooks,
    bulk,
    downloadFaults,
    setThrottle: (limits) => bucket.setLimits(limits.maximumAvailable, limits.restoreRate),
    throttleStatus: () => bucket.status(),
    uninstall: () => {
      installed = false;
      // Shopify disconnects the app's pixel with the app.
      store.webPixel = null;
      store.emit("app/uninstalled", shopPayload());
    },
    updateShop: (changes) => {
      Object.assign(store.shop, changes);
      store.emit("shop/update", shopPayload());
    },
    stats: () => ({ ...counters }),
    close: async ({ abandonWebhooks = false } = {}) => {
      await bulk.shutdown();
      unsubscribe();
      if (abandonWebhooks) webhooks.abandon();
      await webhooks.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
