// Issue 16, "nothing lost, nothing leaked": a shop's live activity reaches the app as webhooks at
// a steady rate (signed and sent by the stand-in as Shopify sends them, over real HTTP), while a
// second process, the operator CLI, runs a full sync and then a segment recompute against the
// same database. Runs on whichever database DATABASE_URL names (SQLite or PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { startLiveTraffic, type Store } from "@persegment/shopify-stand-in";
import { cli, expectedCopy, localCopy, serveWebhookEndpoint, standInFor } from "./support";
import { processInboxes } from "../../support/pipeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Customer edits beyond what live traffic makes, one every 50 ms: a tag added (and taken off
 * again five edits later), consent changed, now and then a customer deleted. (No order is
 * deleted: the stand-in changes its customer's order count without a customers/update then.)
 * A customer is changed at most once per edit: two changes in the same millisecond have the
 * same X-Shopify-Triggered-At, and the app cannot tell their order when they arrive reversed.
 */
function startCustomerEdits(store: Store) {
  const customerIds = [...store.customers.keys()];
  const customerAt = (index: number) =>
    customerIds[(index + customerIds.length) % customerIds.length];
  let edit = 0;
  const timer = setInterval(() => {
    const change = (index: number, apply: (id: number) => void) => {
      const id = customerAt(index);
      if (store.customers.has(id)) apply(id);
    };
    change(edit, (id) => store.addCustomerTags(id, ["chaos"]));
    if (edit >= 5) change(edit - 5, (id) => store.removeCustomerTags(id, ["chaos"]));
    if (edit % 4 === 0)
      change(edit - 2, (id) => store.updateCustomer(id, { marketingState: "UNSUBSCRIBED" }));
    if (edit % 40 === 39) change(edit + 1, (id) => store.deleteCustomer(id));
    edit++;
  }, 50);
  return () => clearInterval(timer);
}

/** Polls until `done` holds; the machine is shared and loaded, so the wait is generous. */
async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

describe("webhooks while another process runs a full sync and a recompute", () => {
  let endpoint: Awaited<ReturnType<typeof serveWebhookEndpoint>>;
  let env: Awaited<ReturnType<typeof standInFor>>;
  beforeAll(async () => {
    endpoint = await serveWebhookEndpoint();
    env = await standInFor("chaos-cli", 1500, 43, endpoint.url);
  });
  afterAll(async () => {
    await env.standIn.close();
    await endpoint.close();
  });

  it("acknowledges every delivery with a 2xx, processes every one, and ends equal to the store", async () => {
    const { shop, standIn } = env;
    const traffic = startLiveTraffic(standIn.store, { ordersPerSecond: 20, seed: 9 });
    const stopEdits = startCustomerEdits(standIn.store);
    try {
      const sync = await cli(standIn.origin, ["sync", shop, "--full"]);
      expect(sync.code, sync.output).toBe(0);
      const recompute = await cli(standIn.origin, ["segments", "recompute", shop]);
      expect(recompute.code, recompute.output).toBe(0);
    } finally {
      traffic.stop();
      stopEdits();
    }
    await standIn.webhooks.flush();

    const deliveries = standIn.webhooks.log;
    expect(deliveries.length).toBeGreaterThan(300);
    // The log forgets past 10,000: every delivery must still be in it to be checked.
    expect(deliveries.length).toBeLessThan(10_000);
    // Every attempt counts: a retried delivery was first refused or timed out.
    const refusals = deliveries.flatMap((delivery) =>
      delivery.statuses
        .filter((status) => typeof status !== "number" || status < 200 || status >= 300)
        .map((status) => `${delivery.topic}: ${status}`),
    );
    expect(refusals).toEqual([]);

    // The in-process worker drains what was acknowledged (on SQLite it waits behind the sync's
    // writes); a kick also covers a retry that comes due.
    await waitFor("the inbox to be processed", async () => {
      await processInboxes();
      return (await prisma.webhookDelivery.count({ where: { shop, status: "pending" } })) === 0;
    });
    const stored = await prisma.webhookDelivery.findMany({
      where: { shop },
      select: { webhookId: true, topic: true, status: true, lastError: true },
    });
    expect(stored.filter((row) => row.status !== "done")).toEqual([]);
    expect(new Set(stored.map((row) => row.webhookId))).toEqual(
      new Set(deliveries.map((delivery) => delivery.webhookId)),
    );

    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "full" } });
    expect(run.status).toBe("succeeded");
    expect(await localCopy(shop)).toEqual(expectedCopy(standIn.store));
  }, 180_000);
});
