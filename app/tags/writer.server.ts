import type { CustomerTagChange } from "~/domain/tags/plan";
import { ShopifyUserError, type AdminGateway } from "~/shopify/gateway.server";
import { BULK_OPERATION_STATUS } from "~/shopify/operations/bulk";
import {
  BULK_OPERATION_RUN_MUTATION,
  STAGED_UPLOADS_CREATE,
  TAGS_ADD,
  TAGS_REMOVE,
} from "~/shopify/operations/tags";

/** What Shopify confirmed for one customer. */
export interface WrittenTags {
  customerId: string;
  added: string[];
  removed: string[];
}

export interface TagWriteFailure {
  customerId: string;
  tags: string[];
  operation: "tagsAdd" | "tagsRemove";
  message: string;
  /** The customer no longer exists in Shopify: its ledger rows are settled, not retried. */
  gone: boolean;
}

export interface WriteSink {
  /** Called as confirmations arrive, so the ledger advances while the run is still going. */
  written(batch: WrittenTags[]): Promise<void>;
}

export interface WriteResult {
  failures: TagWriteFailure[];
}

const GONE = /not found|does not exist|couldn't find|could not find/i;

function failure(
  customerId: string,
  tags: string[],
  operation: TagWriteFailure["operation"],
  message: string,
): TagWriteFailure {
  return { customerId, tags, operation, message, gone: GONE.test(message) };
}

/**
 * Paced writes: one tagsAdd and/or one tagsRemove per customer, several tags each. Calls go one
 * at a time by default: the gateway then waits for exactly the points each call needs, which keeps
 * the bucket drained (≥ 90 % of the budget used, bench/tags.bench.ts) without THROTTLED replies;
 * parallel callers would all see the same free points and collide.
 * A user error fails that customer only; an API error (after the gateway's retries) stops the run,
 * leaving the rest pending in the ledger for the next run.
 */
export async function writePaced(
  gateway: AdminGateway,
  changes: readonly CustomerTagChange[],
  sink: WriteSink,
  concurrency = 1,
): Promise<WriteResult> {
  const failures: TagWriteFailure[] = [];
  let next = 0;
  let stopped: unknown = null;

  async function writeOne(change: CustomerTagChange) {
    const done: WrittenTags = { customerId: change.customerId, added: [], removed: [] };
    const steps = [
      { tags: change.add, document: TAGS_ADD, field: "tagsAdd" as const, into: done.added },
      {
        tags: change.remove,
        document: TAGS_REMOVE,
        field: "tagsRemove" as const,
        into: done.removed,
      },
    ];
    for (const step of steps) {
      if (step.tags.length === 0) continue;
      try {
        await gateway.mutate(step.document, { id: change.customerId, tags: step.tags }, step.field);
        step.into.push(...step.tags);
      } catch (error) {
        if (!(error instanceof ShopifyUserError)) throw error;
        failures.push(failure(change.customerId, step.tags, step.field, error.message));
      }
    }
    if (done.added.length || done.removed.length) await sink.written([done]);
  }

  async function worker() {
    while (stopped === null && next < changes.length) {
      const change = changes[next++];
      try {
        await writeOne(change);
      } catch (error) {
        stopped ??= error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (stopped !== null) throw stopped;
  return { failures };
}

interface StagedTarget {
  url: string;
  parameters: { name: string; value: string }[];
}

interface BulkStatus {
  id: string;
  status: string;
  errorCode: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkOptions {
  pollMs?: number;
  maxPollMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Uploads JSONL variables to a staged target and returns the path bulkOperationRunMutation takes. */
async function stageVariables(gateway: AdminGateway, filename: string, jsonl: string) {
  const payload = await gateway.mutate<{ stagedTargets: StagedTarget[] }>(
    STAGED_UPLOADS_CREATE,
    {
      input: [
        {
          resource: "BULK_MUTATION_VARIABLES",
          filename,
          mimeType: "text/jsonl",
          httpMethod: "POST",
        },
      ],
    },
    "stagedUploadsCreate",
  );
  const target = payload.stagedTargets?.[0];
  const key = target?.parameters.find((p) => p.name === "key")?.value;
  if (!target?.url || !key)
    throw new Error("stagedUploadsCreate returned no upload target with a key");
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), filename);
  const response = await fetch(target.url, { method: "POST", body: form });
  if (!response.ok)
    throw new Error(
      `Uploading ${filename} failed: HTTP ${response.status} ${await response.text()}`,
    );
  return key;
}

async function waitForBulk(gateway: AdminGateway, id: string, options: BulkOptions) {
  const {
    pollMs = 250,
    maxPollMs = 5000,
    timeoutMs = 24 * 3600_000,
    sleep = defaultSleep,
  } = options;
  const started = Date.now();
  let delay = pollMs;
  for (;;) {
    const { bulkOperation } = await gateway.request<{ bulkOperation: BulkStatus | null }>(
      BULK_OPERATION_STATUS,
      { id },
    );
    if (!bulkOperation) throw new Error(`Bulk operation ${id} not found`);
    if (!["CREATED", "RUNNING", "CANCELING"].includes(bulkOperation.status)) return bulkOperation;
    if (Date.now() - started > timeoutMs) throw new Error(`Bulk operation ${id} timed out`);
    await sleep(delay);
    delay = Math.min(maxPollMs, delay * 1.5);
  }
}

interface BulkResultLine {
  __lineNumber?: number;
  data?: Record<string, { userErrors?: { message: string }[] } | null>;
  errors?: { message: string }[];
}

async function readResults(url: string | null): Promise<BulkResultLine[]> {
  if (!url) return [];
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Reading bulk results failed: HTTP ${response.status}`);
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as BulkResultLine);
}

/**
 * One bulk mutation (tagsAdd or tagsRemove) over many customers: stage the JSONL of variables, run
 * it, wait, read the per-line results back. Lines without a confirmed result are returned as
 * `unconfirmed` so the caller can retry them paced; user errors are failures per customer.
 */
async function runBulk(
  gateway: AdminGateway,
  operation: "tagsAdd" | "tagsRemove",
  lines: { customerId: string; tags: string[] }[],
  options: BulkOptions,
) {
  const jsonl =
    lines.map((line) => JSON.stringify({ id: line.customerId, tags: line.tags })).join("\n") + "\n";
  const path = await stageVariables(gateway, `persegment-${operation}.jsonl`, jsonl);
  const started = await gateway.mutate<{ bulkOperation: { id: string } }>(
    BULK_OPERATION_RUN_MUTATION,
    {
      mutation: operation === "tagsAdd" ? TAGS_ADD : TAGS_REMOVE,
      stagedUploadPath: path,
      clientIdentifier: `persegment-${operation}`,
    },
    "bulkOperationRunMutation",
  );
  const finished = await waitForBulk(gateway, started.bulkOperation.id, options);
  const results = await readResults(finished.url ?? finished.partialDataUrl);
  const confirmed: { customerId: string; tags: string[] }[] = [];
  const failures: TagWriteFailure[] = [];
  const seen = new Set<number>();
  for (const result of results) {
    const index = result.__lineNumber;
    if (index === undefined || index < 0 || index >= lines.length || seen.has(index)) continue;
    seen.add(index);
    const line = lines[index];
    const payload = result.data?.[operation];
    const messages = [
      ...(result.errors ?? []).map((e) => e.message),
      ...(payload?.userErrors ?? []).map((e) => e.message),
    ];
    if (messages.length)
      failures.push(failure(line.customerId, line.tags, operation, messages.join("; ")));
    else if (payload) confirmed.push(line);
  }
  const unconfirmed = lines.filter(
    (line, index) => !seen.has(index) && !failures.some((f) => f.customerId === line.customerId),
  );
  return {
    status: finished.status,
    errorCode: finished.errorCode,
    confirmed,
    failures,
    unconfirmed,
  };
}

const toChange = (
  operation: "tagsAdd" | "tagsRemove",
  line: { customerId: string; tags: string[] },
): CustomerTagChange => ({
  customerId: line.customerId,
  add: operation === "tagsAdd" ? line.tags : [],
  remove: operation === "tagsRemove" ? line.tags : [],
});

/**
 * Bulk writes: one bulk tagsAdd and one bulk tagsRemove. Results are read back line by line;
 * lines the operation did not confirm (failed or partial operation) are retried paced once.
 */
export async function writeBulk(
  gateway: AdminGateway,
  changes: readonly CustomerTagChange[],
  sink: WriteSink,
  options: BulkOptions = {},
): Promise<
  WriteResult & {
    bulkOperations: { operation: string; status: string; errorCode: string | null }[];
  }
> {
  const failures: TagWriteFailure[] = [];
  const bulkOperations: { operation: string; status: string; errorCode: string | null }[] = [];
  const retry: CustomerTagChange[] = [];
  for (const operation of ["tagsAdd", "tagsRemove"] as const) {
    const lines = changes
      .map((c) => ({ customerId: c.customerId, tags: operation === "tagsAdd" ? c.add : c.remove }))
      .filter((line) => line.tags.length > 0);
    if (lines.length === 0) continue;
    let result: Awaited<ReturnType<typeof runBulk>>;
    try {
      result = await runBulk(gateway, operation, lines, options);
    } catch (error) {
      // Shopify refused to start it (e.g. another bulk mutation is running): write paced instead.
      if (!(error instanceof ShopifyUserError)) throw error;
      bulkOperations.push({ operation, status: "NOT_STARTED", errorCode: error.message });
      retry.push(...lines.map((line) => toChange(operation, line)));
      continue;
    }
    bulkOperations.push({ operation, status: result.status, errorCode: result.errorCode });
    failures.push(...result.failures);
    await sink.written(
      result.confirmed.map((line) => ({
        customerId: line.customerId,
        added: operation === "tagsAdd" ? line.tags : [],
        removed: operation === "tagsRemove" ? line.tags : [],
      })),
    );
    retry.push(...result.unconfirmed.map((line) => toChange(operation, line)));
  }
  if (retry.length) failures.push(...(await writePaced(gateway, retry, sink)).failures);
  return { failures, bulkOperations };
}
