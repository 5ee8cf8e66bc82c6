// Product.collections end to end against the Shopify stand-in over HTTP: the full sync's bulk
// export (collection lines after their product, across batches and a crash), reconciliation after
// a membership change, products/update webhooks (no collections in them), and a custom segment
// on collections bought.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loadMemberships } from "~/models/memberships.server";
import { action } from "~/routes/webhooks";
import { saveCustomSegment } from "~/segments/custom.server";
import { importBulkLines } from "~/sync/bulk-import.server";
import { runFullSync } from "~/sync/full-sync.server";
import { runReconciliation } from "~/sync/reconcile.server";
import type { Store } from "@persegment/shopify-stand-in";
import { responseOf } from "../../support/responses";
import { testShop, webhookRequest } from "../../support/shopify-requests";
import { standInFor } from "./support";
import { customersChanged, processInboxes } from "../../support/pipeline";

const productGid = (id: number) => `gid://shopify/Product/${id}`;
const collectionGid = (id: number) => `gid://shopify/Collection/${id}`;

/** Each product's collections as the stand-in holds them: product GID -> sorted collection GIDs. */
function expectedCollections(store: Store) {
  return Object.fromEntries(
    [...store.products.values()].map((product) => [
      productGid(product.id),
      [...product.collectionIds].sort((a, b) => a - b).map(collectionGid),
    ]),
  );
}

/** The app's stored collections, in the same shape. */
async function localCollections(shop: string) {
  const rows = await prisma.product.findMany({ where: { shop } });
  return Object.fromEntries(
    rows.map((row) => [row.id, row.collections ? row.collections.split(",") : []]),
  );
}

describe("product collections synced from the Shopify stand-in", () => {
  let env: Awaited<ReturnType<typeof standInFor>>;
  beforeAll(async () => {
    env = await standInFor("collections", 300, 31);
  });
  afterAll(() => env.standIn.close());

  it("a full sync stores every product's collections, with products split over many batches", async () => {
    const run = await runFullSync(env.gateway, customersChanged, {
      pollIntervalMs: 20,
      batchSize: 5,
    });
    expect(run.status).toBe("succeeded");
    const expected = expectedCollections(env.standIn.store);
    const sizes = Object.values(expected).map((list) => list.length);
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n >= 2).length).toBeGreaterThan(0);
    expect(await localCollections(env.shop)).toEqual(expected);
  });

  it("a products/update webhook keeps stored collections; a reconciliation brings the change", async () => {
    const store = env.standIn.store;
    const announced: unknown[] = [];
    const unsubscribe = store.subscribe((change) => {
      if (change.topic === "products/update") announced.push(change.payload);
    });
    const products = [...store.products.values()];
    const leaving = products.find((p) => p.collectionIds.length > 0)!;
    const joining = products.find((p) => p.collectionIds.length === 0)!;
    const [collectionId] = leaving.collectionIds;
    store.removeProductsFromCollection(collectionId, [leaving.id]);
    store.addProductsToCollection(collectionId, [joining.id]);
    // More collections than the reconcile query's first page (10): the rest are paged.
    const many = products.find((p) => p !== leaving && p !== joining)!;
    for (let index = 0; index < 12; index++)
      store.addProductsToCollection(store.createCollection(`Capsule ${index}`).id, [many.id]);
    unsubscribe();
    const before = await localCollections(env.shop);

    // The app receives the REST payloads the stand-in announced: newer updatedAt, no collections.
    expect(announced.every((payload) => !("collections" in (payload as object)))).toBe(true);
    for (const payload of announced) {
      const response = await responseOf(() =>
        action({
          request: webhookRequest({ topic: "products/update", shop: env.shop, payload }),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(200);
    }
    await processInboxes();
    const afterWebhooks = await prisma.product.findUniqueOrThrow({
      where: { shop_id: { shop: env.shop, id: productGid(leaving.id) } },
    });
    expect(afterWebhooks.updatedAt?.getTime()).toBe(Math.floor(leaving.updatedAt / 1000) * 1000);
    expect(await localCollections(env.shop)).toEqual(before);

    const { report } = await runReconciliation(env.gateway, customersChanged);
    expect(await localCollections(env.shop)).toEqual(expectedCollections(store));
    expect((await localCollections(env.shop))[productGid(many.id)].length).toBeGreaterThan(12);
    expect(report.products.updated).toBe(3);
  });

  it("a custom segment on collections bought has the members the stand-in's data gives", async () => {
    const store = env.standIn.store;
    // The collection whose products were bought by the most customers, but not by all.
    const buyersOf = (collectionId: number) => {
      const buyers = new Set<string>();
      for (const order of store.orders.values()) {
        if (order.customerId === null || order.cancelledAt !== null || order.test) continue;
        const inCollection = order.lineItems.some(
          (line) =>
            line.productId !== null &&
            store.products.get(line.productId)!.collectionIds.includes(collectionId),
        );
        if (inCollection) buyers.add(`gid://shopify/Customer/${order.customerId}`);
      }
      return buyers;
    };
    const [collectionId] = [...store.collections.keys()].sort(
      (a, b) => buyersOf(b).size - buyersOf(a).size,
    );
    const expected = buyersOf(collectionId);
    expect(expected.size).toBeGreaterThan(10);
    expect(expected.size).toBeLessThan(store.customers.size);

    const saved = await saveCustomSegment(env.shop, {
      name: "Bought from a collection",
      rule: {
        field: "orders",
        op: ">=",
        value: 1,
        where: { collections: [collectionGid(collectionId)] },
      },
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
    const members =
      (await loadMemberships(prisma, env.shop, [saved.segment.id])).get(saved.segment.id) ??
      new Set();
    expect([...members].sort()).toEqual([...expected].sort());
  });
});

describe("a full sync that crashes in the products phase", () => {
  it("starts the products export over on resume and ends with every product's collections", async () => {
    const env = await standInFor("collections-crash", 300, 32);
    try {
      // Stored collections that Shopify no longer has must not survive the resumed sync.
      const [first] = env.standIn.store.products.values();
      await prisma.product.create({
        data: {
          shop: env.shop,
          id: productGid(first.id),
          title: first.title,
          handle: first.handle,
          collections: "gid://shopify/Collection/1",
        },
      });
      let batches = 0;
      const crash = runFullSync(env.gateway, customersChanged, {
        pollIntervalMs: 20,
        batchSize: 4,
        afterBatch: (p) => {
          if (p.step === "products" && ++batches === 2) throw new Error("simulated crash");
        },
      });
      await expect(crash).rejects.toThrow("simulated crash");
      const interrupted = await prisma.syncRun.findFirstOrThrow({
        where: { shop: env.shop, kind: "full" },
      });
      expect(interrupted.phase).toBe("products");
      const written = await prisma.product.count({ where: { shop: env.shop } });
      expect(written).toBeLessThan(env.standIn.store.products.size);

      const resumed = await runFullSync(env.gateway, customersChanged, {
        pollIntervalMs: 20,
        batchSize: 4,
      });
      expect(resumed.id).toBe(interrupted.id);
      expect(resumed.status).toBe("succeeded");
      expect(await localCollections(env.shop)).toEqual(expectedCollections(env.standIn.store));
    } finally {
      await env.standIn.close();
    }
  });
});

describe("importing a products export whose collection lines come late", () => {
  const shop = testShop("collections-late");
  const product = (id: number) => ({
    id: productGid(id),
    title: `Product ${id}`,
    handle: `product-${id}`,
    status: "ACTIVE",
    updatedAt: "2026-01-01T00:00:00Z",
  });
  const member = (collection: number, productId: number) => ({
    id: collectionGid(collection),
    __parentId: productGid(productId),
  });
  // Product 1's collections arrive after product 2 and 3, batches later at a batch size of 1.
  const lines = [
    product(1),
    member(20, 1),
    product(2),
    product(3),
    member(30, 3),
    member(10, 1),
    member(30, 1),
  ];
  async function* stream() {
    yield* lines;
  }
  const stored = async () =>
    Object.fromEntries(
      (await prisma.product.findMany({ where: { shop }, orderBy: { id: "asc" } })).map((row) => [
        row.id,
        row.collections,
      ]),
    );

  it("joins every collection line to its product, across batches and a crash", async () => {
    let batches = 0;
    const crash = importBulkLines(shop, "products", stream(), {
      batchSize: 1,
      onBatch: async () => {
        if (++batches === 2) throw new Error("simulated crash");
      },
    });
    await expect(crash).rejects.toThrow("simulated crash");
    // Resumed with the lines the crashed attempt had consumed: products start over regardless.
    const progress = await importBulkLines(shop, "products", stream(), {
      batchSize: 1,
      skipLines: lines.length,
    });
    expect(progress).toEqual({ linesDone: 7, recordsDone: 3, childrenDone: 4 });
    expect(await stored()).toEqual({
      [productGid(1)]: `${collectionGid(10)},${collectionGid(20)},${collectionGid(30)}`,
      [productGid(2)]: "",
      [productGid(3)]: collectionGid(30),
    });
  });

  it("refuses a collection line before its product, naming the line", async () => {
    async function* orphan() {
      yield member(10, 9);
    }
    await expect(importBulkLines(shop, "products", orphan())).rejects.toThrow(
      /products export, line 1: collection before its product gid:\/\/shopify\/Product\/9/,
    );
  });
});
