// Test support for sync against the Shopify stand-in: an installed shop with its own stand-in,
// the app's webhook endpoint served over real HTTP (so the stand-in can deliver to it), the
// operator CLI run as its own process, and the stand-in's data as the app should hold it.
import { spawn } from "node:child_process";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { action } from "~/routes/webhooks";
import { createAdminGateway } from "~/shopify/gateway.server";
import { generateStore, startStandIn, type Store } from "@persegment/shopify-stand-in";
import { serveRoute } from "../../support/route-server";
import { testShop } from "../../support/shopify-requests";

const TOKEN = "stand-in-token";
const SCOPES = "read_customers,read_orders,read_all_orders,read_products";

/**
 * A shop installed with full read scopes, served by a stand-in with a generated store (which
 * delivers its changes' webhooks to `webhooksTo`, when given).
 */
export async function standInFor(
  label: string,
  customers: number,
  seed: number,
  webhooksTo?: string,
) {
  const shop = testShop(label);
  const standIn = await startStandIn({
    shop,
    accessToken: TOKEN,
    apiSecret: "testApiSecretKey",
    store: generateStore({ customers, seed }),
    webhooksTo,
  });
  await recordInstall(shop, SCOPES);
  await saveOfflineToken(shop, TOKEN, SCOPES);
  const gateway = createAdminGateway({ shop, accessToken: TOKEN, origin: standIn.origin });
  return { shop, standIn, gateway };
}

/** Serves POST /webhooks with the app's route action on 127.0.0.1; returns its URL. */
export function serveWebhookEndpoint() {
  return serveRoute("/webhooks", { action });
}

/** Runs `npm run cli -- …` as its own process; `killWhen` may SIGKILL it on an output line. */
export function cli(origin: string, args: string[], killWhen?: (line: string) => boolean) {
  return new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
      env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: origin },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (killWhen && output.split("\n").some(killWhen)) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code, signal) => resolve({ code, signal, output }));
  });
}

const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The stand-in's customers, orders and line items in the shape the app stores them. */
export function expectedCopy(store: Store) {
  const customers = [...store.customers.values()]
    .map((c) => {
      const stats = store.customerStats(c.id);
      return {
        id: `gid://shopify/Customer/${c.id}`,
        updatedAt: second(c.updatedAt),
        tags: c.tags.join(", "),
        countryCode: c.address?.countryCode ?? null,
        provinceCode: c.address?.provinceCode ?? null,
        city: c.address?.city ?? null,
        emailMarketingState: c.marketingState,
        numberOfOrders: stats.numberOfOrders,
        amountSpentCents: String(stats.amountSpentCents),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const orders = [...store.orders.values()]
    .map((o) => ({
      id: `gid://shopify/Order/${o.id}`,
      customerId: o.customerId === null ? null : `gid://shopify/Customer/${o.customerId}`,
      updatedAt: second(o.updatedAt),
      processedAt: second(o.processedAt),
      cancelledAt: o.cancelledAt === null ? null : second(o.cancelledAt),
      test: o.test,
      totalCents: String(o.totalCents),
      discountCents: String(o.discountCents),
      discountCodes: o.discountCodes.join(","),
      lineItems: o.lineItems
        .map((l) => `gid://shopify/LineItem/${l.id}:${l.quantity}:${l.unitPriceCents}`)
        .sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { customers, orders };
}

/** The app's copy of a shop, in the same shape as expectedCopy. */
export async function localCopy(shop: string) {
  const customers = (await prisma.customer.findMany({ where: { shop } }))
    .map((c) => ({
      id: c.id,
      updatedAt: c.updatedAt.getTime(),
      tags: c.tags,
      countryCode: c.countryCode,
      provinceCode: c.provinceCode,
      city: c.city,
      emailMarketingState: c.emailMarketingState,
      numberOfOrders: c.numberOfOrders,
      amountSpentCents: String(c.amountSpentCents),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const lines = await prisma.lineItem.findMany({ where: { shop } });
  const byOrder = new Map<string, string[]>();
  for (const l of lines) {
    const list = byOrder.get(l.orderId) ?? [];
    list.push(`${l.id}:${l.quantity}:${l.unitPriceCents}`);
    byOrder.set(l.orderId, list);
  }
  const orders = (await prisma.order.findMany({ where: { shop } }))
    .map((o) => ({
      id: o.id,
      customerId: o.customerId,
      updatedAt: o.updatedAt.getTime(),
      processedAt: o.processedAt.getTime(),
      cancelledAt: o.cancelledAt?.getTime() ?? null,
      test: o.test,
      totalCents: String(o.totalCents),
      discountCents: String(o.discountCents),
      discountCodes: o.discountCodes,
      lineItems: (byOrder.get(o.id) ?? []).sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { customers, orders };
}
