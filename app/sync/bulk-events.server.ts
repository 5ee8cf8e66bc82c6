import { EventEmitter } from "node:events";

// In-process wake-up for a sync waiting on a bulk operation: the bulk_operations/finish webhook
// fires it, so the wait ends at once instead of at the next poll. Polling stays the safety net
// (webhooks can be late or lost, and another instance may have received it).
const events = new EventEmitter();
events.setMaxListeners(0);

export function announceBulkOperationFinished(bulkOperationId: string) {
  events.emit(bulkOperationId);
}

/** Resolves after `ms`, or earlier when the bulk operation is announced finished. */
export function waitForBulkOperationNews(bulkOperationId: string, ms: number) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events.off(bulkOperationId, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    events.on(bulkOperationId, done);
  });
}
