/** Shopify's bulk operations (the exports of a full sync): starting one, waiting for it to end. */
import type { AdminGateway } from "~/shopify/gateway.server";
import { BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from "~/shopify/operations/bulk";
import { waitForBulkOperationNews } from "./bulk-events.server";
import { FullSyncError } from "./full-sync-errors";

export interface BulkOperationStatus {
  id: string;
  status: string;
  createdAt: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

const FINISHED_FAILED = new Set(["FAILED", "CANCELED", "CANCELING", "EXPIRED"]);

/** Starts the export `key` (named in errors) of `query`; returns its bulk operation id. */
export async function startBulkOperation(gateway: AdminGateway, key: string, query: string) {
  const payload = await gateway.mutate<{ bulkOperation: { id: string } | null }>(
    BULK_OPERATION_RUN_QUERY,
    { query },
    "bulkOperationRunQuery",
  );
  if (!payload.bulkOperation) throw new FullSyncError(`Shopify did not start the ${key} export`);
  return payload.bulkOperation.id;
}

/** The bulk operation once it completed or failed; `stillOurs` runs before every poll. */
export async function waitForBulkOperation(
  gateway: AdminGateway,
  id: string,
  pollIntervalMs: number,
  stillOurs: () => Promise<void>,
): Promise<BulkOperationStatus> {
  // Small exports finish in moments: ask again soon, then less often, up to pollIntervalMs.
  for (let wait = Math.min(250, pollIntervalMs); ; wait = Math.min(wait * 2, pollIntervalMs)) {
    await stillOurs();
    const { bulkOperation } = await gateway.request<{
      bulkOperation: BulkOperationStatus | null;
    }>(BULK_OPERATION_STATUS, { id });
    if (!bulkOperation) throw new FullSyncError(`Bulk operation ${id} is unknown to Shopify`);
    if (bulkOperation.status === "COMPLETED" || FINISHED_FAILED.has(bulkOperation.status))
      return bulkOperation;
    await waitForBulkOperationNews(id, wait);
  }
}
