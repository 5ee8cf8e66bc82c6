import { ClientError, GraphQLClient } from "graphql-request";
import { adminGraphqlUrl, adminOrigin } from "./admin-origin.server";

/** One Shopify `userErrors` entry as mutations return it. */
export interface ShopifyUserErrorEntry {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** A mutation answered with `userErrors`: Shopify refused the input, nothing was changed. */
export class ShopifyUserError extends Error {
  constructor(
    readonly payloadField: string,
    readonly userErrors: ShopifyUserErrorEntry[],
  ) {
    super(
      `${payloadField}: ${userErrors
        .map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message))
        .join("; ")}`,
    );
    this.name = "ShopifyUserError";
  }
}

/** Shopify could not be used: HTTP or GraphQL errors that retrying did not (or cannot) fix. */
export class ShopifyApiError extends Error {
  constructor(
    message: string,
    readonly details: { status?: number; errors?: unknown[]; attempts: number },
  ) {
    super(message);
    this.name = "ShopifyApiError";
  }
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GatewayStats {
  calls: number;
  throttled: number;
  costRequested: number;
  costActual: number;
}

export interface AdminGateway {
  shop: string;
  /** Runs a query (or mutation) and returns `data`; paces by cost, retries THROTTLED/429/5xx. */
  request<T>(document: string, variables?: object): Promise<T>;
  /** Runs a mutation and returns `data[payloadField]`; throws ShopifyUserError on userErrors. */
  mutate<T>(document: string, variables: object, payloadField: string): Promise<T>;
  /**
   * Every node of a connection, page after page. The document declares `$after: String` and the
   * connection at `connectionPath` selects `nodes` (or `edges { node }`) and `pageInfo`.
   */
  paginate<T>(document: string, variables: object, connectionPath: string[]): AsyncIterable<T>;
  stats(): GatewayStats;
}

export interface GatewayOptions {
  shop: string;
  accessToken: string;
  /** Admin API origin; defaults to https://<shop> or the configured stand-in. */
  origin?: string;
  /** Tries per call before giving up (THROTTLED, 429, 5xx, network errors). */
  maxAttempts?: number;
  /** First retry delay; doubles per try. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What we last learned about a shop's cost bucket, shared by every gateway for that shop in this
 * process (the bucket is per app and shop, not per client).
 */
interface Bucket {
  status: ThrottleStatus;
  observedAt: number;
}
const buckets = new Map<string, Bucket>();
/** The requested cost each document had last time: the estimate for its next call. */
const documentCosts = new Map<string, number>();

function availableNow(bucket: Bucket, now: number) {
  const restored = ((now - bucket.observedAt) / 1000) * bucket.status.restoreRate;
  return Math.min(bucket.status.maximumAvailable, bucket.status.currentlyAvailable + restored);
}

const THROTTLED = "THROTTLED";

function isThrottledError(error: unknown) {
  const code = (error as { extensions?: { code?: string } })?.extensions?.code;
  return code === THROTTLED;
}

function errorMessages(errors: unknown[]) {
  return errors.map((e) => (e as { message?: string })?.message ?? JSON.stringify(e)).join("; ");
}

function operationName(document: string) {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous operation";
}

export function createAdminGateway(options: GatewayOptions): AdminGateway {
  const { shop, accessToken, maxAttempts = 6, baseDelayMs = 1000, sleep = defaultSleep } = options;
  const origin = options.origin ?? adminOrigin(shop);
  const client = new GraphQLClient(adminGraphqlUrl(shop, origin), {
    headers: { "X-Shopify-Access-Token": accessToken },
    errorPolicy: "all",
  });
  const bucketKey = `${origin}|${shop}`;
  const counters: GatewayStats = { calls: 0, throttled: 0, costRequested: 0, costActual: 0 };

  /** Waits until the last known bucket state says `cost` points are there, then reserves them. */
  async function waitForBudget(cost: number) {
    const bucket = buckets.get(bucketKey);
    if (!bucket) return;
    const needed = Math.min(cost, bucket.status.maximumAvailable);
    const shortBy = needed - availableNow(bucket, Date.now());
    if (shortBy > 0) await sleep(Math.ceil((shortBy / bucket.status.restoreRate) * 1000));
    // Reserve the points so concurrent calls on this shop queue behind this one.
    const now = Date.now();
    bucket.status = {
      ...bucket.status,
      currentlyAvailable: Math.max(0, availableNow(bucket, now) - needed),
    };
    bucket.observedAt = now;
  }

  function observe(cost: QueryCost | undefined, document: string) {
    if (!cost) return;
    counters.costRequested += cost.requestedQueryCost ?? 0;
    counters.costActual += cost.actualQueryCost ?? 0;
    if (cost.requestedQueryCost) documentCosts.set(document, cost.requestedQueryCost);
    if (cost.throttleStatus)
      buckets.set(bucketKey, { status: { ...cost.throttleStatus }, observedAt: Date.now() });
  }

  async function request<T>(document: string, variables?: object): Promise<T> {
    const name = operationName(document);
    let lastFailure = "";
    let lastStatus: number | undefined;
    let lastErrors: unknown[] | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await waitForBudget(documentCosts.get(document) ?? 1);
      counters.calls++;
      let retryDelay = baseDelayMs * 2 ** (attempt - 1);
      try {
        const response = await client.rawRequest<T>(
          document,
          variables as Record<string, unknown> | undefined,
        );
        const extensions = response.extensions as { cost?: QueryCost } | undefined;
        observe(extensions?.cost, document);
        const errors = (response as { errors?: unknown[] }).errors ?? [];
        if (errors.length === 0) return response.data;
        if (!errors.some(isThrottledError))
          throw new ShopifyApiError(`${name} failed: ${errorMessages(errors)}`, {
            status: response.status,
            errors,
            attempts: attempt,
          });
        counters.throttled++;
        lastFailure = "THROTTLED";
        lastErrors = errors;
        const cost = extensions?.cost;
        if (cost?.throttleStatus) {
          const { currentlyAvailable, restoreRate } = cost.throttleStatus;
          const missing = Math.max(0, cost.requestedQueryCost - currentlyAvailable);
          retryDelay = Math.max(retryDelay, Math.ceil((missing / restoreRate) * 1000));
        }
      } catch (error) {
        if (error instanceof ShopifyApiError) throw error;
        if (error instanceof ClientError) {
          const status = error.response.status;
          lastStatus = status;
          lastErrors = error.response.errors as unknown[] | undefined;
          if (status === 429) {
            counters.throttled++;
            const retryAfter = Number(error.response.headers?.get?.("Retry-After"));
            if (retryAfter > 0) retryDelay = Math.max(retryDelay, retryAfter * 1000);
          } else if (status < 500) {
            throw new ShopifyApiError(
              `${name} failed with HTTP ${status}${lastErrors ? `: ${errorMessages(lastErrors)}` : ""}`,
              { status, errors: lastErrors, attempts: attempt },
            );
          }
          lastFailure = `HTTP ${status}`;
        } else {
          // Network failure (connection refused/reset, timeout): worth another try.
          lastFailure = error instanceof Error ? error.message : String(error);
        }
      }
      if (attempt < maxAttempts) await sleep(retryDelay);
    }
    throw new ShopifyApiError(`${name} failed after ${maxAttempts} tries (last: ${lastFailure})`, {
      status: lastStatus,
      errors: lastErrors,
      attempts: maxAttempts,
    });
  }

  async function mutate<T>(document: string, variables: object, payloadField: string) {
    const data = await request<Record<string, unknown>>(document, variables);
    const payload = data?.[payloadField] as { userErrors?: ShopifyUserErrorEntry[] } | null;
    if (payload === undefined)
      throw new ShopifyApiError(`${operationName(document)}: no ${payloadField} in the response`, {
        attempts: 1,
      });
    if (payload?.userErrors?.length) throw new ShopifyUserError(payloadField, payload.userErrors);
    return payload as T;
  }

  async function* paginate<T>(document: string, variables: object, connectionPath: string[]) {
    let after: string | null = null;
    for (;;) {
      const data: unknown = await request(document, { ...variables, after });
      let connection = data as Record<string, unknown> | null;
      for (const key of connectionPath) connection = connection?.[key] as typeof connection;
      if (!connection)
        throw new ShopifyApiError(
          `${operationName(document)}: no connection at ${connectionPath.join(".")}`,
          { attempts: 1 },
        );
      const page = connection as {
        nodes?: T[];
        edges?: { node: T }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      const nodes = page.nodes ?? page.edges?.map((edge) => edge.node) ?? [];
      for (const node of nodes) yield node;
      if (!page.pageInfo?.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }

  return {
    shop,
    request,
    mutate,
    paginate,
    stats: () => ({ ...counters }),
  };
}
