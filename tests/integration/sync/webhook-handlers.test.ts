import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { upsertCustomers } from "~/models/customers.server";
import { inTransaction } from "~/db.server";
import { action } from "~/routes/webhooks";
import { waitForBulkOperationNews } from "~/sync/bulk-events.server";
import { importBulkLines } from "~/sync/bulk-import.server";
import { customerFromRest } from "~/domain/sync/records";
import { installedShop, webhookRequest } from "../../support/shopify-requests";
import { responseOf } from "../../support/responses";
import { processInboxes } from "../../support/pipeline";
import type { SyncEffects } from "~/sync/effects";

const changed = new Map<string, string[]>();
const continued: string[] = [];
/** Records what the handlers report, instead of following it up. */
const observed: SyncEffects = {
  async customersChanged(shop, ids) {
    changed.set(shop, [...(changed.get(shop) ?? []), ...ids]);
  },
  async continueFullSync(shop) {
    continued.push(shop);
  },
};

async function deliver(
  shop: string,
  topic: string,
  payload: unknown,
  webhookId?: string,
  triggeredAt?: Date,
) {
  const response = await responseOf(() =>
    action({
      request: webhookRequest({ topic, shop, payload, webhookId, triggeredAt }),
      params: {},
      context: {},
    }),
  );
  expect(response.status).toBe(200);
}

async function process() {
  await processInboxes(observed);
}

const rest = (s: string) => s;
const at = (second: number) => rest(new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString());

function customer(id: number, updatedSecond: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    created_at: at(0),
    updated_at: at(updatedSecond),
    first_name: "Never",
    last_name: "Stored",
    email: "never@stored.example",
    tags: "",
    orders_count: 0,
    total_spent: "0.00",
    default_address: {
      city: "Berlin",
      province_code: "BE",
      country_code: "DE",
      address1: "Street 1",
    },
    email_marketing_consent: { state: "subscribed" },
    ...extra,
  };
}

function order(id: number, updatedSecond: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    created_at: at(0),
    processed_at: at(0),
    updated_at: at(updatedSecond),
    cancelled_at: null,
    test: false,
    currency: "USD",
    current_total_price: "10.00",
    current_total_price_set: { shop_money: { amount: "10.00", currency_code: "USD" } },
    current_total_discounts_set: { shop_money: { amount: "0.00", currency_code: "USD" } },
    discount_codes: [],
    source_name: "web",
    customer: { id: 1, admin_graphql_api_id: "gid://shopify/Customer/1" },
    shipping_address: { country_code: "US" },
    line_items: [
      {
        id: id * 10,
        admin_graphql_api_id: `gid://shopify/LineItem/${id * 10}`,
        product_id: 5,
        variant_id: 6,
        quantity: 1,
        price: "10.00",
        price_set: { shop_money: { amount: "10.00", currency_code: "USD" } },
      },
    ],
    ...extra,
  };
}

const customerRow = (shop: string, id: number) =>
  prisma.customer.findUnique({ where: { shop_id: { shop, id: `gid://shopify/Customer/${id}` } } });
const orderRow = (shop: string, id: number) =>
  prisma.order.findUnique({ where: { shop_id: { shop, id: `gid://shopify/Order/${id}` } } });

describe("sync webhook handlers (signed deliveries through the endpoint and the inbox worker)", () => {
  it("customers/create stores only what segments need, and notifies", async () => {
    const shop = await installedShop("customer-create");
    await deliver(shop, "customers/create", customer(1, 1, { tags: "vip, wholesale" }));
    await process();
    const row = await customerRow(shop, 1);
    expect(row).toMatchObject({
      tags: "vip, wholesale",
      countryCode: "DE",
      provinceCode: "BE",
      city: "Berlin",
      emailMarketingState: "SUBSCRIBED",
    });
    expect(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
      /Never|Stored|Street/,
    );
    expect(changed.get(shop)).toEqual(["gid://shopify/Customer/1"]);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(delivery.status).toBe("done");
  });

  it("an older customers/update arriving late never overwrites a newer one", async () => {
    const shop = await installedShop("customer-order");
    await deliver(shop, "customers/update", customer(1, 20, { tags: "newer" }));
    await process();
    await deliver(shop, "customers/update", customer(1, 10, { tags: "older" }));
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("newer");
  });

  it("duplicates and reordering of order updates end in the newest state", async () => {
    const shop = await installedShop("order-reorder");
    const v1 = order(7, 1);
    const v2 = order(7, 2, { current_total_price_set: { shop_money: { amount: "8.50" } } });
    const v3 = order(7, 3, { cancelled_at: at(3) });
    for (const [payload, id] of [
      [v3, "c"],
      [v1, "a"],
      [v2, "b"],
      [v3, "c"],
      [v1, "a2"],
    ] as const)
      await deliver(shop, "orders/updated", payload, `${shop}-${id}`);
    await process();
    const row = await orderRow(shop, 7);
    expect(row?.cancelledAt).toEqual(new Date(at(3)));
    expect(row?.totalCents).toBe(1000n);
    expect(await prisma.lineItem.count({ where: { shop } })).toBe(1);
  });

  it("an order edit replaces its line items", async () => {
    const shop = await installedShop("order-edit");
    await deliver(shop, "orders/create", order(8, 1));
    await process();
    const edited = order(8, 2);
    edited.line_items = [
      {
        ...edited.line_items[0],
        id: 801,
        admin_graphql_api_id: "gid://shopify/LineItem/801",
        quantity: 3,
      },
    ];
    await deliver(shop, "orders/updated", edited);
    await process();
    const lines = await prisma.lineItem.findMany({ where: { shop } });
    expect(lines.map((l) => [l.id, l.quantity])).toEqual([["gid://shopify/LineItem/801", 3]]);
  });

  it("orders/delete removes the order; a late update does not bring it back", async () => {
    const shop = await installedShop("order-delete");
    await deliver(shop, "orders/create", order(9, 1));
    await process();
    await deliver(shop, "orders/delete", { id: 9 });
    await process();
    expect(await orderRow(shop, 9)).toBeNull();
    await deliver(shop, "orders/updated", order(9, 5));
    await process();
    expect(await orderRow(shop, 9)).toBeNull();
    expect(await prisma.lineItem.count({ where: { shop } })).toBe(0);
  });

  it("customers/delete removes the customer, keeps their orders unlinked", async () => {
    const shop = await installedShop("customer-delete");
    await deliver(shop, "customers/create", customer(1, 1));
    await deliver(shop, "orders/create", order(11, 1));
    await process();
    await deliver(shop, "customers/delete", {
      id: 1,
      admin_graphql_api_id: "gid://shopify/Customer/1",
    });
    await process();
    expect(await customerRow(shop, 1)).toBeNull();
    expect((await orderRow(shop, 11))?.customerId).toBeNull();
    await deliver(shop, "customers/update", customer(1, 9));
    await process();
    expect(await customerRow(shop, 1)).toBeNull();
  });

  it("customers/merge moves orders to the kept customer and deletes the other", async () => {
    const shop = await installedShop("merge");
    await deliver(shop, "customers/create", customer(1, 1));
    await deliver(shop, "customers/create", customer(2, 1));
    await deliver(shop, "orders/create", order(12, 1, { customer: { id: 2 } }));
    await process();
    changed.delete(shop);
    await deliver(shop, "customers/merge", {
      admin_graphql_api_customer_kept_id: "gid://shopify/Customer/1",
      admin_graphql_api_customer_deleted_id: "gid://shopify/Customer/2",
      admin_graphql_api_job_id: null,
      status: "completed",
      errors: [],
    });
    await process();
    expect(await customerRow(shop, 2)).toBeNull();
    expect((await orderRow(shop, 12))?.customerId).toBe("gid://shopify/Customer/1");
    expect(changed.get(shop)?.sort()).toEqual([
      "gid://shopify/Customer/1",
      "gid://shopify/Customer/2",
    ]);
  });

  it("customer.tags_added / tags_removed apply, stale ones do not", async () => {
    const shop = await installedShop("tags");
    await deliver(shop, "customers/create", customer(1, 10, { tags: "a" }));
    await process();
    const id = "gid://shopify/Customer/1";
    await deliver(shop, "customer.tags_added", {
      customerId: id,
      tags: ["seg-vip", "A"],
      occurredAt: at(11),
    });
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("a, seg-vip");
    await deliver(shop, "customer.tags_removed", {
      customerId: id,
      tags: ["SEG-VIP"],
      occurredAt: at(12),
    });
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("a");
    // Older than the stored row: ignored.
    await deliver(shop, "customer.tags_added", {
      customerId: id,
      tags: ["old"],
      occurredAt: at(5),
    });
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("a");
  });

  it("a late tags_added of the same second does not undo a newer update", async () => {
    const shop = await installedShop("tags-same-second");
    const id = "gid://shopify/Customer/1";
    const second = new Date(at(20));
    const ms = (n: number) => new Date(second.getTime() + n);
    // Shopify: tag "x" added at .200, removed again by an edit at .500 (same second).
    await deliver(shop, "customers/create", customer(1, 10, { tags: "a" }), undefined, ms(-10_000));
    await deliver(shop, "customers/update", customer(1, 20, { tags: "a" }), undefined, ms(500));
    await process();
    await deliver(shop, "customer.tags_added", {
      customerId: id,
      tags: ["x"],
      occurredAt: ms(200).toISOString(),
    });
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("a");
    // A tag event after the update still applies.
    await deliver(shop, "customer.tags_added", {
      customerId: id,
      tags: ["y"],
      occurredAt: ms(700).toISOString(),
    });
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("a, y");
  });

  it("a payload it cannot read fails the delivery visibly, without retries", async () => {
    const shop = await installedShop("bad-payload");
    await deliver(shop, "orders/create", { id: 1, name: "#1" });
    await process();
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts).toBe(1);
    expect(delivery.lastError).toMatch(/orders\/create/);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
  });
});

describe("two edits in the same second (updated_at has whole seconds)", () => {
  // Edit A, then edit B, both at second 5: Shopify triggers B's webhook after A's.
  const triggered = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 5, ms));
  const older = triggered(300);
  const newer = triggered(800);

  it("customers/update: the newer edit delivered first is kept", async () => {
    const shop = await installedShop("same-second-customer");
    await deliver(shop, "customers/update", customer(1, 5, { tags: "B" }), undefined, newer);
    await process();
    await deliver(shop, "customers/update", customer(1, 5, { tags: "A" }), undefined, older);
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("B");
  });

  it("orders/updated: the newer edit delivered first is kept, with its line items", async () => {
    const shop = await installedShop("same-second-order");
    const editB = order(7, 5, { cancelled_at: at(5) });
    const editA = order(7, 5, {
      line_items: [{ ...order(7, 5).line_items[0], id: 71, admin_graphql_api_id: undefined }],
    });
    await deliver(shop, "orders/updated", editB, undefined, newer);
    await process();
    await deliver(shop, "orders/updated", editA, undefined, older);
    await process();
    expect((await orderRow(shop, 7))?.cancelledAt).toEqual(new Date(at(5)));
    const lineItems = await prisma.lineItem.findMany({ where: { shop } });
    expect(lineItems.map((line) => line.id)).toEqual(["gid://shopify/LineItem/70"]);
  });

  const product = (title: string) => ({
    id: 9,
    admin_graphql_api_id: "gid://shopify/Product/9",
    title,
    handle: "mug",
    status: "active",
    updated_at: at(5),
  });
  const productRow = (shop: string) =>
    prisma.product.findUnique({ where: { shop_id: { shop, id: "gid://shopify/Product/9" } } });

  it("products/update: the newer edit delivered first is kept", async () => {
    const shop = await installedShop("same-second-product");
    await deliver(shop, "products/update", product("B"), undefined, newer);
    await process();
    await deliver(shop, "products/update", product("A"), undefined, older);
    await process();
    expect((await productRow(shop))?.title).toBe("B");
  });

  // A bulk export's rows are as new as its start at least; a webhook triggered later is newer.
  async function* oneLine(line: Record<string, unknown>) {
    yield line;
  }
  async function importExport(
    shop: string,
    startedAt: Date,
    tags: string,
    cancelledAt: string | null,
  ) {
    const customerLine = { id: "gid://shopify/Customer/1", createdAt: at(0), updatedAt: at(5) };
    await importBulkLines(shop, "customers", oneLine({ ...customerLine, tags: [tags] }), {
      observedAt: startedAt,
    });
    const orderLine = {
      id: "gid://shopify/Order/7",
      name: "#7",
      createdAt: at(0),
      processedAt: at(0),
      updatedAt: at(5),
      cancelledAt,
      currentTotalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "USD" } },
    };
    await importBulkLines(shop, "orders", oneLine(orderLine), { observedAt: startedAt });
  }

  it("a full sync's export started before the newer webhook does not overwrite it", async () => {
    const shop = await installedShop("same-second-export-late");
    await deliver(shop, "customers/update", customer(1, 5, { tags: "B" }), undefined, newer);
    await deliver(shop, "orders/updated", order(7, 5, { cancelled_at: at(5) }), undefined, newer);
    await process();
    await importExport(shop, older, "A", null);
    expect((await customerRow(shop, 1))?.tags).toBe("B");
    expect((await orderRow(shop, 7))?.cancelledAt).toEqual(new Date(at(5)));
  });

  it("rows the export's import keeps (a newer webhook) still count as seen by the full sync", async () => {
    const shop = await installedShop("same-second-export-seen");
    await deliver(shop, "customers/update", customer(1, 5, { tags: "B" }), undefined, newer);
    await deliver(shop, "orders/updated", order(7, 5, { cancelled_at: at(5) }), undefined, newer);
    await deliver(shop, "products/update", product("B"), undefined, newer);
    await process();
    const seen = async () => [
      (await customerRow(shop, 1))!.syncedAt.getTime(),
      (await orderRow(shop, 7))!.syncedAt.getTime(),
      (await productRow(shop))!.syncedAt.getTime(),
    ];
    const before = await seen();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await importExport(shop, older, "A", null);
    const productLine = {
      id: "gid://shopify/Product/9",
      title: "A",
      handle: "mug",
      updatedAt: at(5),
    };
    await importBulkLines(shop, "products", oneLine(productLine), { observedAt: older });
    // The webhooks' content stays; the rows are stamped as seen, so the sync's sweep keeps them.
    expect((await customerRow(shop, 1))?.tags).toBe("B");
    expect((await orderRow(shop, 7))?.cancelledAt).toEqual(new Date(at(5)));
    expect((await productRow(shop))?.title).toBe("B");
    const after = await seen();
    after.forEach((time, index) => expect(time).toBeGreaterThan(before[index]));
  });

  it("a newer write stamped before an earlier one committed does not move syncedAt back", async () => {
    // PostgreSQL: a webhook's transaction takes its time, then waits for the row the import holds.
    const shop = await installedShop("same-second-seen-order");
    const stampedLater = new Date();
    const stampedEarlier = new Date(stampedLater.getTime() - 5_000);
    const write = (tags: string, stamped: Date, observed: Date) =>
      inTransaction((tx) =>
        upsertCustomers(tx, shop, [customerFromRest(customer(1, 5, { tags }))], stamped, observed),
      );
    await write("A", stampedLater, older);
    await write("B", stampedEarlier, newer);
    const row = await customerRow(shop, 1);
    expect(row?.tags).toBe("B");
    expect(row?.syncedAt).toEqual(stampedLater);
  });

  it("a webhook triggered before the export started does not overwrite what it read", async () => {
    const shop = await installedShop("same-second-export-first");
    await importExport(shop, newer, "B", at(5));
    await deliver(shop, "customers/update", customer(1, 5, { tags: "A" }), undefined, older);
    await deliver(shop, "orders/updated", order(7, 5), undefined, older);
    await process();
    expect((await customerRow(shop, 1))?.tags).toBe("B");
    expect((await orderRow(shop, 7))?.cancelledAt).toEqual(new Date(at(5)));
  });
});

describe("bulk_operations/finish", () => {
  it("wakes the sync waiting for that bulk operation at once (polling is the fallback)", async () => {
    const shop = await installedShop("bulk-finish");
    const id = "gid://shopify/BulkOperation/4100000000099";
    const started = Date.now();
    const waiting = waitForBulkOperationNews(id, 60_000);
    await deliver(shop, "bulk_operations/finish", {
      admin_graphql_api_id: id,
      completed_at: new Date().toISOString(),
      created_at: new Date().toISOString(),
      error_code: null,
      status: "completed",
      type: "query",
    });
    await process();
    await waiting;
    expect(Date.now() - started).toBeLessThan(10_000);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(delivery.status).toBe("done");
  });

  it("sends the full sync on again when nobody works on the run it finished (a restart)", async () => {
    const shop = await installedShop("bulk-finish-abandoned");
    const id = "gid://shopify/BulkOperation/4100000000100";
    await prisma.syncRun.create({
      data: { shop, kind: "full", checkpoint: "{}", bulkOperationId: id, leasedUntil: null },
    });
    await deliver(shop, "bulk_operations/finish", {
      admin_graphql_api_id: id,
      status: "completed",
    });
    await process();
    expect(continued).toEqual([shop]);
  });
});
