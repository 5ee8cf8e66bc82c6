// One list of topics: what shopify.app.toml subscribes the app to is exactly what the pipeline
// has a handler for, and the stand-in delivers nothing the app is not subscribed to.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WEBHOOK_HANDLERS } from "~/pipeline.server";
import { APP_WEBHOOK_TOPICS } from "@persegment/shopify-stand-in";

/** Every topic of every [[webhooks.subscriptions]] (topics and compliance_topics). */
function subscribedTopics() {
  const toml = readFileSync("shopify.app.toml", "utf8");
  const lists = [...toml.matchAll(/^\s*(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/gm)];
  return lists.flatMap((list) => [...list[1].matchAll(/"([^"]+)"/g)].map((topic) => topic[1]));
}

describe("webhook topics", () => {
  it("has a handler for exactly the topics shopify.app.toml subscribes to", () => {
    const subscribed = subscribedTopics();
    expect(subscribed.length).toBeGreaterThan(10);
    expect(new Set(subscribed).size).toBe(subscribed.length);
    expect([...subscribed].sort()).toEqual(Object.keys(WEBHOOK_HANDLERS).sort());
  });

  it("has the stand-in deliver only subscribed topics", () => {
    expect(APP_WEBHOOK_TOPICS.filter((topic) => !subscribedTopics().includes(topic))).toEqual([]);
  });
});
