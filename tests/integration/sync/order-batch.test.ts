import { describe, expect, it } from "vitest";
import prisma, { rawTransaction } from "~/db.server";
import { OrderBatch } from "~/models/orders.server";
import { addTombstones } from "~/models/tombstones.server";
import type { LineItemRow, OrderRow } from "~/domain/sync/records";
import { testShop } from "../../support/shopify-requests";
import { customerGid, orderGid, productGid } from "../../support/store-rows";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

function order(n: number, customer: number, updatedMinute: number): OrderRow {
  return {
    id: orderGid(n),
    name: `#${n}`,
    customerId: customerGid(customer),
    createdAt: at(0),
    processedAt: at(0),
    updatedAt: at(updatedMinute),
    cancelledAt: null,
    test: false,
    totalCents: 1000n * BigInt(n),
    discountCents: 0n,
    currencyCode: "EUR",
    discountCodes: "",
    sourceName: "web",
    shippingCountry: "DE",
  };
}

function lineItem(n: number, orderNumber: number, product: number): LineItemRow {
  return {
    id: `gid://shopify/LineItem/${n}`,
    orderId: orderGid(orderNumber),
    productId: productGid(product),
    variantId: null,
    quantity: 1,
    unitPriceCents: 500n,
    giftCard: false,
  };
}

const write = (shop: string, fill: (batch: OrderBatch) => void) => {
  const batch = new OrderBatch(shop);
  fill(batch);
  return rawTransaction((tx) => batch.write(tx));
};

async function storedOrders(shop: string) {
  const orders = await prisma.order.findMany({ where: { shop }, orderBy: { id: "asc" } });
  const lines = await prisma.lineItem.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return orders.map((o) => ({
    id: o.id,
    customerId: o.customerId,
    totalCents: o.totalCents,
    lineItems: lines.filter((l) => l.orderId === o.id).map((l) => l.id),
  }));
}

describe("OrderBatch", () => {
  it("writes new orders, replaces older ones with their line items, keeps newer and deleted ones out", async () => {
    const shop = testShop("order-batch");
    await write(shop, (batch) =>
      batch
        .addOrder(order(2, 20, 10))
        .addLineItem(lineItem(21, 2, 1))
        .addLineItem(lineItem(22, 2, 2))
        .addOrder(order(3, 30, 10))
        .addLineItem(lineItem(31, 3, 1)),
    );
    await rawTransaction((tx) => addTombstones(tx, shop, [orderGid(4)], at(5)));

    // Rows of kept and skipped orders interleave, so each table's rows are kept by their own
    // order's fate, not by position.
    const result = await write(shop, (batch) =>
      batch
        .addOrder(order(1, 10, 1))
        .addOrder(order(2, 21, 20)) // older stored copy: replaced, now customer 21
        .addOrder(order(3, 31, 5)) // the stored copy is newer: kept as it is
        .addOrder(order(4, 40, 1)) // deleted in Shopify
        .addLineItem(lineItem(11, 1, 1))
        .addLineItem(lineItem(33, 3, 3))
        .addLineItem(lineItem(41, 4, 1))
        .addLineItem(lineItem(23, 2, 3)),
    );

    expect(await storedOrders(shop)).toEqual([
      {
        id: orderGid(1),
        customerId: customerGid(10),
        totalCents: 1000n,
        lineItems: [lineItem(11, 1, 1).id],
      },
      {
        id: orderGid(2),
        customerId: customerGid(21),
        totalCents: 2000n,
        lineItems: [lineItem(23, 2, 3).id],
      },
      {
        id: orderGid(3),
        customerId: customerGid(30),
        totalCents: 3000n,
        lineItems: [lineItem(31, 3, 1).id],
      },
    ]);
    expect(result.written).toEqual([orderGid(1), orderGid(2)]);
    // Customer 20 lost order 2 to customer 21: both are told.
    expect(result.customerIds.sort()).toEqual(
      [customerGid(10), customerGid(20), customerGid(21)].sort(),
    );
  });
});
