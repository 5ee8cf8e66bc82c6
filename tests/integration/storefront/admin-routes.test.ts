// The Storefront admin pages, called as Shopify's embedded admin calls them (signed session
// token), with publishing going to the Shopify stand-in through the shop's offline session.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { publishCommands } from "~/cli/commands/publish";
import { InProcessJobs } from "~/jobs/in-process.server";
import { createPipeline, pipeline, startBackgroundWork } from "~/pipeline.server";
import { BARS_METAFIELD } from "~/domain/storefront/published";
import {
  pauseStorefrontPublishing,
  recordInstall,
  resumeStorefrontPublishing,
} from "~/models/shop.server";
import { action as barAction, loader as barLoader } from "~/routes/app.storefront_.bars.$id";
import { action as overviewAction, loader as overviewLoader } from "~/routes/app.storefront";
import { loader as productSearch } from "~/routes/app.storefront_.product-search";
import {
  action as upsellAction,
  loader as upsellLoader,
} from "~/routes/app.storefront_.upsells.$productId";
import { startStandIn, Store } from "@persegment/shopify-stand-in";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";

const shop = testShop("storefront-admin");
let standIn: Awaited<ReturnType<typeof startStandIn>>;
const productIds: string[] = [];

async function post(path: string, fields: [string, string][]) {
  const signed = await adminRequest(shop, path);
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return new Request(signed.url, { method: "POST", body, headers: signed.headers });
}

const validBar: [string, string][] = [
  ["name", "Champions thanks"],
  ["enabled", "on"],
  ["priority", "20"],
  ["kind", "message"],
  ["defaultLocale", "en"],
  ["message.en", "Thanks, champion! <img src=x onerror=alert(1)>"],
  ["message.de", "Danke!"],
  ["link", "/collections/new"],
  ["background", "#111111"],
  ["text", "#ffffff"],
  ["visitors", "logged-in"],
  ["countries", "us, de"],
  ["segments", "champions"],
  ["holdoutPercent", "10"],
];

function barsInShopify() {
  const metafield = [...standIn.store.metafields.values()].find(
    (entry) => entry.namespace === BARS_METAFIELD.namespace && entry.key === BARS_METAFIELD.key,
  );
  return metafield ? JSON.parse(metafield.value) : null;
}

beforeAll(async () => {
  const session = await storeOfflineSession(shop);
  await recordInstall(shop, "");
  const store = new Store({
    name: "Admin test",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  standIn = await startStandIn({
    shop,
    accessToken: session.accessToken!,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
  });
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
  const now = new Date("2026-11-01T00:00:00Z");
  for (const title of ["Hoodie", "Socks", "Cap"]) {
    const productId = store.newId("Product");
    store.insertProduct({
      id: productId,
      title,
      handle: title.toLowerCase(),
      productType: "",
      vendor: "",
      tags: [],
      status: "ACTIVE",
      createdAt: now.getTime(),
      updatedAt: now.getTime(),
      variants: [],
    });
    const id = `gid://shopify/Product/${productId}`;
    productIds.push(id);
    await prisma.product.create({ data: { shop, id, title, handle: title.toLowerCase() } });
  }
  await prisma.segment.createMany({
    data: [
      { shop, handle: "champions", name: "Champions", kind: "rfm", tagEnabled: true },
      { shop, handle: "vip", name: "VIP", kind: "lifecycle", tagEnabled: false },
    ],
  });
  // Two orders with Hoodie + Socks: enough support for a recommendation.
  for (const n of [1, 2]) {
    const orderId = `gid://shopify/Order/${n}`;
    await prisma.order.create({
      data: {
        shop,
        id: orderId,
        name: `#${n}`,
        createdAt: now,
        processedAt: now,
        updatedAt: now,
        totalCents: 5000n,
      },
    });
    await prisma.lineItem.createMany({
      data: [0, 1].map((index) => ({
        shop,
        id: `gid://shopify/LineItem/${n}${index}`,
        orderId,
        productId: productIds[index],
        quantity: 1,
        unitPriceCents: 2500n,
      })),
    });
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn?.close();
});

describe("top bar editor", () => {
  it("refuses invalid input with messages on the fields, and saves nothing", async () => {
    const response = await responseOf(async () =>
      barAction({
        request: await post("/app/storefront/bars/new", [
          ["name", ""],
          ["priority", "5"],
          ["kind", "free-shipping"],
          ["defaultLocale", "en"],
          ["message.en", "Free shipping soon"],
          ["link", "javascript:alert(1)"],
          ["background", "#ffffff"],
          ["text", "#eeeeee"],
          ["visitors", "everyone"],
          ["segments", "vip"],
          ["threshold.0.countries", "US"],
          ["threshold.0.currency", "USD"],
          ["threshold.0.amount", "fifty"],
          ["holdoutPercent", "60"],
        ]),
        params: { id: "new" },
        context: {},
      }),
    );
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors).toMatchObject({
      name: expect.stringMatching(/name/),
      "message.en": expect.stringMatching(/\{amount\}/),
      link: expect.stringMatching(/store path/),
      text: expect.stringMatching(/contrast/),
      segments: expect.stringMatching(/Turn on tagging for "VIP"/),
      "threshold.0.amount": expect.any(String),
      "reached.en": expect.any(String),
      holdoutPercent: "Hold out at most 50 % of the audience",
    });
    expect(await prisma.bar.count({ where: { shop } })).toBe(0);
    expect(barsInShopify()).toBeNull();
  });

  it("saves a valid bar and publishes it to Shopify right away", async () => {
    const request = await post("/app/storefront/bars/new", validBar);
    const response = await responseOf(() =>
      barAction({ request, params: { id: "new" }, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/app/storefront?done=saved");
    const [bar] = await prisma.bar.findMany({ where: { shop } });
    expect(bar).toMatchObject({ name: "Champions thanks", priority: 20, enabled: true });
    expect(barsInShopify().bars).toEqual([
      expect.objectContaining({
        id: bar.id,
        tags: ["seg-champions"],
        countries: ["US", "DE"],
        visitors: "logged_in",
        messages: [
          { locale: "en", text: "Thanks, champion! <img src=x onerror=alert(1)>" },
          { locale: "de", text: "Danke!" },
        ],
        holdout_percent: 10,
        holdout_start: 0,
      }),
    ]);

    const editor = await barLoader({
      request: await adminRequest(shop, `/app/storefront/bars/${bar.id}`),
      params: { id: bar.id },
      context: {},
    });
    expect(editor.fields).toMatchObject({
      name: "Champions thanks",
      countries: "US, DE",
      "message.de": "Danke!",
      holdoutPercent: "10",
    });
    expect(editor.selected).toEqual(["champions"]);
  });

  it("previews the bar per persona and links to the theme editor to switch the embed on", async () => {
    const page = await overviewLoader({
      request: await adminRequest(shop, "/app/storefront"),
      params: {},
      context: {},
    });
    expect(page.previews.find((preview) => preview.id === "champion")).toMatchObject({
      barName: "Champions thanks",
      text: "Thanks, champion! <img src=x onerror=alert(1)>",
    });
    expect(page.previews.find((preview) => preview.id === "guest-us")).toMatchObject({
      barName: null,
    });
    expect(page.previews.find((preview) => preview.id === "lapsed")).toMatchObject({
      barName: null,
    });
    expect(page.activateEmbedUrl).toBe(
      `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=testApiKey/top-bar`,
    );
    expect(page.publishedAt).not.toBeNull();
  });

  it("deletes a bar and republishes an empty list", async () => {
    const [bar] = await prisma.bar.findMany({ where: { shop } });
    const response = await responseOf(async () =>
      barAction({
        request: await post(`/app/storefront/bars/${bar.id}`, [["intent", "delete"]]),
        params: { id: bar.id },
        context: {},
      }),
    );
    expect(response.status).toBe(302);
    expect(await prisma.bar.count({ where: { shop } })).toBe(0);
    expect(barsInShopify()).toEqual({ version: 1, bars: [], boundary: 0 });
  });
});

describe("upsells", () => {
  const upsellsOf = (productId: string) => {
    const metafield = [...standIn.store.metafields.values()].find(
      (entry) => entry.ownerGid === productId && entry.namespace === "app--testApiKey--persegment",
    );
    return metafield ? (JSON.parse(metafield.value) as string[]) : null;
  };

  it("says when publishing is paused (after removing everything), and Publish now resumes it", async () => {
    const page = () =>
      adminRequest(shop, "/app/storefront").then((request) =>
        overviewLoader({ request, params: {}, context: {} }),
      );
    expect((await page()).publishingPaused).toBe(false);
    await pauseStorefrontPublishing(shop, new Date());
    expect((await page()).publishingPaused).toBe(true);
    const result = await overviewAction({
      request: await post("/app/storefront", [["intent", "publish"]]),
      params: {},
      context: {},
    });
    expect(result).toMatchObject({ ok: true });
    expect((await page()).publishingPaused).toBe(false);
    await resumeStorefrontPublishing(shop);
  });

  it("recomputes from orders and publishes on request", async () => {
    const result = await overviewAction({
      request: await post("/app/storefront", [["intent", "recompute"]]),
      params: {},
      context: {},
    });
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/4 picks for 3 products from 2 orders/),
    });
    expect(upsellsOf(productIds[0])).toEqual([productIds[1]]);
    expect(upsellsOf(productIds[1])).toEqual([productIds[0]]);
    // Cap was never ordered: its list is filled with the best sellers.
    expect(upsellsOf(productIds[2])).toEqual([productIds[0], productIds[1]]);
  });

  it("finds products to pin by title, ignoring case, and nothing for an empty query", async () => {
    const search = async (q: string) =>
      productSearch({
        request: await adminRequest(
          shop,
          `/app/storefront/product-search?q=${encodeURIComponent(q)}`,
        ),
        params: {},
        context: {},
      });
    expect((await search("HOOD")).products).toEqual([
      { id: productIds[0], title: "Hoodie", status: "ACTIVE" },
    ]);
    expect((await search("o")).products.map((product) => product.title)).toEqual([
      "Hoodie",
      "Socks",
    ]);
    // LIKE wildcards are searched as text.
    expect((await search("%")).products).toEqual([]);
    expect((await search("  ")).products).toEqual([]);
  });

  it("refuses an invalid override and saves a valid one, republishing", async () => {
    const [hoodie, socks, cap] = productIds;
    const numeric = hoodie.split("/").pop()!;
    const refused = await responseOf(async () =>
      upsellAction({
        request: await post(`/app/storefront/upsells/${numeric}`, [
          ["pinned", hoodie],
          ["pinned", "gid://shopify/Product/404"],
        ]),
        params: { productId: numeric },
        context: {},
      }),
    );
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.pinned).toBe(
      "gid://shopify/Product/404 is not a product of your store (or not synced yet): pick products from the search.",
    );
    expect(await prisma.upsellOverride.count({ where: { shop } })).toBe(0);

    const saved = await responseOf(async () =>
      upsellAction({
        request: await post(`/app/storefront/upsells/${numeric}`, [
          ["pinned", cap],
          ["excluded", socks],
        ]),
        params: { productId: numeric },
        context: {},
      }),
    );
    expect(saved.status).toBe(302);
    expect(upsellsOf(hoodie)).toEqual([cap]);
    const editor = await upsellLoader({
      request: await adminRequest(shop, `/app/storefront/upsells/${numeric}`),
      params: { productId: numeric },
      context: {},
    });
    expect(editor.pinned.map((product) => product.title)).toEqual(["Cap"]);
    expect(editor.excluded).toEqual([socks]);
    expect(editor.computed.map((pick) => pick.title)).toEqual(["Socks"]);
  });

  it("publishes from the command line, writing nothing when nothing changed", async () => {
    const output: string[] = [];
    const log = vi
      .spyOn(console, "log")
      .mockImplementation((line: string) => void output.push(line));
    try {
      const publish = publishCommands.find((command) => command.name === "publish")!;
      await publish.run([shop], {});
      await expect(publish.run([], {})).rejects.toThrow(/missing <shop>/);
      await expect(publish.run([shop], { "as-of": "yesterday-ish" })).rejects.toThrow(/not a date/);
    } finally {
      log.mockRestore();
    }
    expect(output).toEqual([
      "recommendations: 4 picks for 3 products from 2 orders (2 fills, 0 add-ons left out)",
      "buy again: 0 replenishable products",
      "published: 0 metafields written, 0 deleted, 4 unchanged (1 API calls)",
    ]);
  });

  it("recomputes and republishes after sync reports new orders, once per shop", async () => {
    const [hoodie, socks, cap] = productIds;
    const now = new Date("2026-11-10T00:00:00Z");
    for (const n of [3, 4, 5]) {
      const orderId = `gid://shopify/Order/${n}`;
      await prisma.order.create({
        data: {
          shop,
          id: orderId,
          name: `#${n}`,
          createdAt: now,
          processedAt: now,
          updatedAt: now,
          totalCents: 3000n,
        },
      });
      await prisma.lineItem.createMany({
        data: [socks, cap].map((productId, index) => ({
          shop,
          id: `gid://shopify/LineItem/${n}${index}`,
          orderId,
          productId,
          quantity: 1,
          unitPriceCents: 1500n,
        })),
      });
    }
    // The pipeline on an engine of its own, so the test sees what waits and runs it when it likes.
    let engine!: InProcessJobs;
    const { effects } = createPipeline((jobs) => (engine = new InProcessJobs(jobs)));
    await effects.customersChanged(shop, ["gid://shopify/Customer/1"]);
    await effects.customersChanged(shop, ["gid://shopify/Customer/2"]);
    expect(engine.waitingKeys("storefront.publish")).toEqual([shop]);
    expect(upsellsOf(socks)).toEqual([hoodie]);
    await engine.runWaiting("storefront.publish");
    expect(engine.waitingKeys("storefront.publish")).toEqual([]);
    expect(upsellsOf(socks)).toEqual([cap, hoodie]);
    // A shop that never published is left alone.
    await effects.customersChanged("never-published.myshopify.com", ["gid://shopify/Customer/1"]);
    expect(engine.waitingKeys("storefront.publish")).toEqual([]);
  });
});

describe("recommendation quality card", () => {
  const page = () =>
    adminRequest(shop, "/app/storefront").then((request) =>
      overviewLoader({ request, params: {}, context: {} }),
    );
  const choose = async (productId: string, choice: string) =>
    overviewAction({
      request: await post("/app/storefront", [
        ["intent", "upsell-choice"],
        ["productId", productId],
        ["choice", choice],
      ]),
      params: {},
      context: {},
    });
  const listsInShopify = () =>
    [...standIn.store.metafields.values()]
      .filter((entry) => entry.namespace === "app--testApiKey--persegment")
      .map((entry) => JSON.parse(entry.value) as string[]);

  /** The storefront.evaluate jobs the pages sent, run as the server runs them. */
  async function measured() {
    await startBackgroundWork();
    try {
      await expect.poll(async () => (await page()).quality.due, { timeout: 60_000 }).toBe(false);
    } finally {
      await pipeline().jobs.stop();
    }
    return (await page()).quality;
  }

  it("is measured by a job, not on the page's request, and says when there is too little history", async () => {
    const first = (await page()).quality;
    expect(first).toMatchObject({ due: true, tooFewOrders: false, evaluation: null });
    expect(await prisma.recommendationEvaluation.count({ where: { shop } })).toBe(0);
    // Every order of this shop is from the last 90 days: nothing to train on.
    const quality = await measured();
    expect(quality).toMatchObject({ tooFewOrders: true, evaluation: null, changed: false });
    expect(quality.addOns).toEqual([]);
    expect(await prisma.recommendationEvaluation.count({ where: { shop } })).toBe(1);
  });

  it("refuses an unknown product or choice and changes nothing", async () => {
    const unknown = await responseOf(() => choose("gid://shopify/Product/404", "exclude"));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).message).toContain("not a product of your store");
    const badChoice = await responseOf(() => choose(productIds[2], "maybe"));
    expect(badChoice.status).toBe(400);
    expect(await prisma.upsellProductChoice.count({ where: { shop } })).toBe(0);
  });

  it("excludes a product from every list, persisted and republished, and undoes it", async () => {
    const cap = productIds[2];
    expect(listsInShopify().flat()).toContain(cap);
    expect(await choose(cap, "exclude")).toMatchObject({ ok: true });
    expect(await prisma.upsellProductChoice.findMany({ where: { shop } })).toMatchObject([
      { productId: cap, choice: "exclude" },
    ]);
    expect(listsInShopify().flat()).not.toContain(cap);
    // The page shows the measurement from before the choice, marked, until the job took it again.
    expect((await page()).quality).toMatchObject({
      excluded: [{ id: cap, title: "Cap" }],
      due: true,
      changed: true,
    });
    expect(await measured()).toMatchObject({ changed: false, due: false });

    expect(await choose(cap, "undo")).toMatchObject({ ok: true });
    expect(await prisma.upsellProductChoice.count({ where: { shop } })).toBe(0);
    expect(listsInShopify().flat()).toContain(cap);
  });
});
