// Recommendations for 10,000 products (issue 21, must show 4): the recompute and the offline
// evaluation on 60,000 orders, then publishing every product's list to the stand-in. API calls
// against the minimum the batch size allows (one installation read, one metafieldsSet per 25
// metafields), and a re-publish with nothing changed writing no metafield.
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { METAFIELDS_PER_CALL } from "~/shopify/operations/storefront";
import { publishStorefront } from "~/storefront/publish.server";
import { evaluateShop, recomputeRecommendations } from "~/storefront/recommendations.server";
import { Random, startStandIn, Store } from "@persegment/shopify-stand-in";
import { defineBench, inChunks, measurePeakRss, round } from "./harness";

const PRODUCTS = 10_000;
const ORDERS = 60_000;
const TYPES = 40;
const DAY = 86_400_000;
const NOW = new Date("2026-11-20T00:00:00Z");

/** 10,000 products of 40 types; orders of 1–6 lines, half from one type, popularity head-heavy. */
async function setUp() {
  const shop = `recommendations-bench-${Date.now()}.myshopify.com`;
  const random = new Random(21);
  const store = new Store({
    name: "bench",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  const products = Array.from({ length: PRODUCTS }, (_, index) => {
    const id = store.newId("Product");
    store.insertProduct({
      id,
      title: `Product ${index}`,
      handle: `product-${index}`,
      productType: `Type ${index % TYPES}`,
      vendor: "",
      tags: [],
      status: "ACTIVE",
      createdAt: NOW.getTime() - 800 * DAY,
      updatedAt: NOW.getTime() - 800 * DAY,
      variants: [],
    });
    return { id: `gid://shopify/Product/${id}`, type: index % TYPES };
  });
  const byType = Array.from({ length: TYPES }, (_, type) =>
    products.filter((product) => product.type === type),
  );
  const pick = (pool: typeof products) => pool[Math.floor(random.next() ** 2.2 * pool.length)];
  await recordInstall(shop, "");
  await inChunks(products, (chunk) =>
    prisma.product.createMany({
      data: chunk.map((product) => ({
        shop,
        id: product.id,
        title: product.id,
        handle: product.id,
        productType: `Type ${product.type}`,
      })),
    }),
  );
  const orders = Array.from({ length: ORDERS }, (_, index) => {
    const at = new Date(NOW.getTime() - random.next() * 730 * DAY);
    const type = random.int(0, TYPES - 1);
    const lines = new Set(
      Array.from({ length: random.int(1, 6) }, () =>
        random.chance(0.5) ? pick(byType[type]).id : pick(products).id,
      ),
    );
    return { id: `gid://shopify/Order/${index + 1}`, at, lines: [...lines] };
  });
  await inChunks(orders, (chunk) =>
    prisma.order.createMany({
      data: chunk.map((order) => ({
        shop,
        id: order.id,
        name: order.id,
        createdAt: order.at,
        processedAt: order.at,
        updatedAt: order.at,
        totalCents: 1000n,
      })),
    }),
  );
  const lineItems = orders.flatMap((order) =>
    order.lines.map((productId, line) => ({
      shop,
      id: `${order.id}-${line}`.replace("Order", "LineItem"),
      orderId: order.id,
      productId,
      quantity: 1,
      unitPriceCents: 1000n,
    })),
  );
  await inChunks(lineItems, (chunk) => prisma.lineItem.createMany({ data: chunk }));
  const standIn = await startStandIn({
    shop,
    accessToken: "bench",
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
  });
  const gateway = createAdminGateway({ shop, accessToken: "bench", origin: standIn.origin });
  return { shop, standIn, gateway };
}

export default defineBench({
  name: "recommendations",
  async run() {
    const { shop, standIn, gateway } = await setUp();
    try {
      global.gc?.();
      const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
      // The longest the recompute kept other work (requests, webhooks) waiting: the largest gap
      // between ticks of a 10 ms timer, the last one after the recompute ends.
      let lastTick = performance.now();
      let longestStallMs = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestStallMs = Math.max(longestStallMs, now - lastTick);
        lastTick = now;
      }, 10);
      let started = performance.now();
      const { result: run, peakRssMb } = await measurePeakRss(() =>
        recomputeRecommendations(shop, NOW),
      );
      const recomputeSeconds = (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 50));
      clearInterval(ticker);
      started = performance.now();
      const { evaluation } = await evaluateShop(shop, new Date(NOW.getTime() - 90 * DAY), {
        through: NOW,
      });
      const evaluateSeconds = (performance.now() - started) / 1000;
      const first = await publishStorefront(gateway, shop, NOW);
      const minimum = 1 + Math.ceil(first.written / METAFIELDS_PER_CALL);
      const again = await publishStorefront(gateway, shop, NOW);
      const shipped = evaluation.methods[0];
      return [
        {
          metric: "recompute 10k products",
          value: round(recomputeSeconds, 2),
          unit: "s",
          note: `${run.products} lists, ${run.pairs} picks from ${run.orders} orders; peak RSS ${Math.round(peakRssMb)} MB (${Math.round(rssBeforeMb)} MB before it)`,
        },
        {
          metric: "recompute: longest event-loop stall",
          value: Math.round(longestStallMs),
          unit: "ms",
        },
        {
          metric: "evaluate (4 methods)",
          value: round(evaluateSeconds, 2),
          unit: "s",
          note: `shipped hit@5 ${round(shipped.hits[2].share * 100, 1)} % on ${evaluation.pairs} pairs`,
        },
        {
          metric: "publish API calls / minimum",
          value: round(first.apiCalls / minimum, 3),
          unit: "×",
          target: { op: "<=", value: 1.1 },
          note: `${first.apiCalls} calls for ${first.written} metafields (minimum ${minimum})`,
        },
        {
          metric: "re-publish metafield writes",
          value: again.written + again.deleted,
          unit: "writes",
          target: { op: "<=", value: 0 },
          note: `${again.apiCalls} API call(s)`,
        },
      ];
    } finally {
      await standIn.close();
    }
  },
});
