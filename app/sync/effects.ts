/**
 * What sync reports to the rest of the pipeline. Sync only says what changed; the pipeline
 * (app/pipeline.server.ts) decides what follows (segments, then the storefront).
 */

/** These customers' data changed (orders, fields, tags, deletion). */
export type CustomersChanged = (shop: string, customerIds: Iterable<string>) => Promise<void>;

export interface SyncEffects {
  customersChanged: CustomersChanged;
  /** The shop's full sync is to be continued (as a job). */
  continueFullSync(shop: string): Promise<void>;
}
