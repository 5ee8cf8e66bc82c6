// Repurchase intervals (issue 21, buy-again) from 60,000 orders of 15,000 customers over 10,000
// products: what every publish and every view of the Storefront page computes. One product in
// ten is a consumable its buyers restock every 20–60 days; the rest are bought at random.
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { recomputeReplenishableProducts } from "~/storefront/buy-again.server";
import { Random } from "@persegment/shopify-stand-in";
import { defineBench, inChunks, measurePeakRss, round } from "./harness";

const PRODUCTS = 10_000;
const CUSTOMERS = 15_000;
const RESTOCKERS = 3_000;
const ORDERS = 60_000;
const DAY = 86_400_000;
const NOW = new Date("2026-11-20T00:00:00Z");

async function setUp() {
  const shop = `buy-again-bench-${Date.now()}.myshopify.com`;
  const random = new Random(12);
  const productId = (index: number) => `gid://shopify/Product/${index + 1}`;
  await recordInstall(shop, "");
  await inChunks(
    Array.from({ length: PRODUCTS }, (_, index) => productId(index)),
    (chunk) =>
      prisma.product.createMany({
        data: chunk.map((id) => ({ shop, id, title: id, handle: id, status: "ACTIVE" })),
      }),
  );
  const orders: { customer: number; at: number; products: string[] }[] = [];
  // Restockers: one consumable each, every 20–60 days (± 5) over the last two years.
  for (let customer = 0; customer < RESTOCKERS; customer++) {
    const consumable = productId(random.int(0, PRODUCTS / 10 - 1) * 10);
    const every = random.int(20, 60);
    let at = NOW.getTime() - random.int(0, 730) * DAY;
    while (at < NOW.getTime()) {
      orders.push({ customer, at, products: [consumable] });
      at += (every + random.int(-5, 5)) * DAY;
    }
  }
  // Everyone else's orders: 1–4 products, popularity head-heavy, any time in two years.
  while (orders.length < ORDERS)
    orders.push({
      customer: random.int(0, CUSTOMERS - 1),
      at: NOW.getTime() - random.next() * 730 * DAY,
      products: [
        ...new Set(
          Array.from({ length: random.int(1, 4) }, () =>
            productId(Math.floor(random.next() ** 2.2 * PRODUCTS)),
          ),
        ),
      ],
    });
  await inChunks(
    orders.map((order, index) => ({ ...order, id: `gid://shopify/Order/${index + 1}` })),
    async (chunk) => {
      await prisma.order.createMany({
        data: chunk.map((order) => ({
          shop,
          id: order.id,
          name: order.id,
          customerId: `gid://shopify/Customer/${order.customer + 1}`,
          createdAt: new Date(order.at),
          processedAt: new Date(order.at),
          updatedAt: new Date(order.at),
          totalCents: 1000n,
        })),
      });
      await prisma.lineItem.createMany({
        data: chunk.flatMap((order) =>
          order.products.map((product, line) => ({
            shop,
            id: `${order.id}-${line}`.replace("Order", "LineItem"),
            orderId: order.id,
            productId: product,
            quantity: 1,
            unitPriceCents: 1000n,
          })),
        ),
      });
    },
  );
  return { shop, orders: orders.length };
}

export default defineBench({
  name: "buy-again",
  async run() {
    const { shop, orders } = await setUp();
    const started = performance.now();
    const { result: intervals, peakRssMb } = await measurePeakRss(() =>
      recomputeReplenishableProducts(shop, NOW),
    );
    const seconds = (performance.now() - started) / 1000;
    const consumables = intervals.filter(
      (interval) => Number(interval.productId.split("/").pop()) % 10 === 1,
    );
    return [
      {
        metric: `repurchase intervals computed and stored, ${(orders / 1000).toFixed(0)}k orders`,
        value: round(seconds, 2),
        unit: "s",
        note: `${intervals.length} replenishable products (${consumables.length} of the ${PRODUCTS / 10} consumables); peak RSS ${Math.round(peakRssMb)} MB`,
      },
    ];
  },
});
