/** What processing one stored webhook delivery takes. */
export interface WebhookJob {
  shop: string;
  topic: string;
  webhookId: string;
  payload: unknown;
  triggeredAt: Date | null;
}

/**
 * A topic's handler: the delivery, and `effects`, the next steps of the pipeline it may start
 * (app/pipeline.server.ts decides what they do; a handler only reports).
 */
export type WebhookHandler<Effects = unknown> = (
  job: WebhookJob,
  effects: Effects,
) => Promise<void>;

export type WebhookHandlers<Effects = unknown> = Record<string, WebhookHandler<Effects>>;

/** A handler failure that retrying cannot fix (bad payload): the delivery is failed, not retried. */
export class TerminalWebhookError extends Error {}
