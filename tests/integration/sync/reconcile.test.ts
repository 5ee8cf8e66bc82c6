import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { runFullSync } from "~/sync/full-sync.server";
import { runReconciliation } from "~/sync/reconcile.server";
import {
  generateStore,
  startLiveTraffic,
  startStandIn,
  type StandIn,
} from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { expectedCopy, localCopy, serveWebhookEndpoint } from "./support";
import { customersChanged, processInboxes } from "../../support/pipeline";

const TOKEN = "stand-in-token";
const SCOPES = "read_customers,read_orders,read_all_orders,read_products";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("live traffic with duplicated, reordered and dropped webhooks", () => {
  let shop: string;
  let standIn: StandIn;
  let endpoint: Awaited<ReturnType<typeof serveWebhookEndpoint>>;
  let gateway: ReturnType<typeof createAdminGateway>;

  beforeAll(async () => {
    shop = testShop("chaos");
    endpoint = await serveWebhookEndpoint();
    standIn = await startStandIn({
      shop,
      accessToken: TOKEN,
      apiSecret: "testApiSecretKey",
      store: generateStore({ customers: 150, seed: 21 }),
      webhooksTo: endpoint.url,
      seed: 5,
    });
    await recordInstall(shop, SCOPES);
    await saveOfflineToken(shop, TOKEN, SCOPES);
    gateway = createAdminGateway({ shop, accessToken: TOKEN, origin: standIn.origin });
    await runFullSync(gateway, customersChanged, { pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await standIn.close();
    await endpoint.close();
  });

  it("applies the webhooks that arrive, and one reconciliation makes the copy equal", async () => {
    standIn.webhooks.configure({ duplicate: 0.25, drop: 0.15, reorder: true, reorderWindowMs: 40 });
    const traffic = startLiveTraffic(standIn.store, { ordersPerSecond: 40, seed: 3 });
    const store = standIn.store;
    const ids = [...store.customers.keys()];
    // Changes beyond orders: tags, deletions, a merge, cancellations, an order deletion.
    store.addCustomerTags(ids[0], ["vip", "seg-champions"]);
    store.updateCustomer(ids[1], { tags: ["wholesale"], marketingState: "UNSUBSCRIBED" });
    store.removeCustomerTags(ids[0], ["vip"]);
    store.mergeCustomers(ids[2], ids[3]);
    store.deleteCustomer(ids[4]);
    const orderIds = [...store.orders.keys()];
    store.cancelOrder(orderIds[0]);
    store.deleteOrder(orderIds[1]);
    await sleep(3000);
    traffic.stop();
    await standIn.webhooks.flush();
    await processInboxes();

    const log = standIn.webhooks.log;
    const dropped = log.filter((d) => d.outcome === "dropped").length;
    const duplicated = log.filter((d) => d.duplicateOf).length;
    expect(traffic.stats().orders).toBeGreaterThan(5);
    expect(dropped).toBeGreaterThan(0);
    expect(duplicated).toBeGreaterThan(0);
    // Dropped deliveries leave the copy behind: that is what reconciliation is for.
    expect(await localCopy(shop)).not.toEqual(expectedCopy(store));
    // Every delivery that arrived was stored once and processed.
    const statuses = await prisma.webhookDelivery.groupBy({
      by: ["status"],
      where: { shop },
      _count: true,
    });
    expect(statuses.filter((s) => s.status !== "done")).toEqual([]);

    const { report } = await runReconciliation(gateway, customersChanged);
    expect(await localCopy(shop)).toEqual(expectedCopy(store));
    const fixed =
      report.customers.created +
      report.customers.updated +
      report.customers.deleted +
      report.orders.created +
      report.orders.updated +
      report.orders.deleted;
    expect(fixed).toBeGreaterThan(0);
    const run = await prisma.syncRun.findFirstOrThrow({
      where: { shop, kind: "reconcile" },
      orderBy: { startedAt: "desc" },
    });
    expect(run.status).toBe("succeeded");
    expect(JSON.parse(run.report!)).toEqual(report);
  });

  it("a reconciliation with nothing missed fixes nothing", async () => {
    const { report } = await runReconciliation(gateway, customersChanged);
    for (const resource of [report.customers, report.orders, report.products])
      expect([resource.created, resource.updated, resource.deleted]).toEqual([0, 0, 0]);
    expect(await localCopy(shop)).toEqual(expectedCopy(standIn.store));
  });
});
