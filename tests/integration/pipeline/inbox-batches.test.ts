// The inbox settles a batch of deliveries at once: what its handlers reported (the customers they
// touched) is carried out once for the batch, and the deliveries are done only after it; when it
// fails, every delivery of the batch is retried, so nothing acknowledged is lost.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordDelivery } from "~/models/webhook-inbox.server";
import { recordInstall } from "~/models/shop.server";
import type { WebhookHandlers } from "~/webhooks/handler";
import { processShopInbox } from "~/webhooks/inbox-worker.server";
import { testShop } from "../../support/shopify-requests";

type Touch = { touched(id: string): void };

const handlers: WebhookHandlers<Touch> = {
  "customers/update": async (job, effects) =>
    effects.touched(String((job.payload as { id: number }).id)),
};

async function deliver(shop: string, ids: number[]) {
  for (const id of ids)
    await recordDelivery({
      webhookId: randomUUID(),
      shop,
      topic: "customers/update",
      payload: { id },
    });
}

const statuses = async (shop: string) =>
  (await prisma.webhookDelivery.findMany({ where: { shop } })).map((row) => row.status);

describe("inbox batches", () => {
  it("carries out a batch's reports once, with every customer it touched, then marks it done", async () => {
    const shop = testShop("inbox-batch");
    await recordInstall(shop, "");
    await deliver(shop, [1, 2, 1, 3, 2]);
    const touched = new Set<string>();
    const settled: string[][] = [];
    const handled = await processShopInbox(shop, {
      handlers,
      effects: { touched: (id) => touched.add(id) },
      settle: async () => {
        expect(await statuses(shop)).not.toContain("done");
        settled.push([...touched].sort());
        touched.clear();
      },
    });
    expect(handled).toBe(5);
    expect(settled).toEqual([["1", "2", "3"]]);
    expect(await statuses(shop)).toEqual(["done", "done", "done", "done", "done"]);
  });

  it("retries every delivery of a batch whose settling failed, and settles them on the retry", async () => {
    const shop = testShop("inbox-batch-retry");
    await recordInstall(shop, "");
    await deliver(shop, [7, 8]);
    let fail = true;
    const work = {
      handlers,
      effects: { touched: () => {} },
      settle: async () => {
        if (fail) throw new Error("database busy");
      },
    };
    await processShopInbox(shop, work);
    const failed = await prisma.webhookDelivery.findMany({ where: { shop } });
    expect(failed.map((row) => [row.status, row.lastError])).toEqual([
      ["pending", "database busy"],
      ["pending", "database busy"],
    ]);
    fail = false;
    await expect
      .poll(async () => (await processShopInbox(shop, work), statuses(shop)), { timeout: 10_000 })
      .toEqual(["done", "done"]);
  });
});
