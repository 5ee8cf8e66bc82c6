// Shopify's published sample webhook payloads, vendored in vendor/shopify (see its SOURCE.md).
import { readFileSync } from "node:fs";

/** The sample payload Shopify documents for a topic, e.g. `orders/create`. */
export function webhookSample(topic: string) {
  return JSON.parse(
    readFileSync(new URL(`../../vendor/shopify/webhooks/${topic}.json`, import.meta.url), "utf8"),
  );
}
