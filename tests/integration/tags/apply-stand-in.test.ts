// Tags written to the Shopify stand-in: exact end state, zero-call reruns, merchant tags never
// touched, a run killed halfway finishing exactly on the next run, bulk and paced alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/models/shop.server";
import prisma from "~/db.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { applyShopTags, removeAllAppTags } from "~/tags/apply.server";
import { publishShopifySegment, shopifySubscribedCount } from "~/tags/shopify-segments.server";
import { startStandIn, Store } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { createSegment, customerGid, ledgerOf, setMembers } from "./fixtures";

const shop = testShop("tags-apply");
const accessToken = "tags-token";
let standIn: Awaited<ReturnType<typeof startStandIn>>;
let gateway: AdminGateway;
const ids: number[] = [];
/** The tags each customer had before the app wrote anything (merchant and other apps' tags). */
const merchantTags = new Map<number, string[]>();

function merchantTagsFor(i: number) {
  if (i % 7 === 0) return ["seg-vip", "wholesale"]; // looks like an app tag, is the merchant's
  if (i % 5 === 0) return ["seg-repeat-old"];
  if (i % 3 === 0) return ["newsletter", "Seg-One-Time"];
  return [];
}

const tagsInShopify = (n: number) => [...standIn.store.customers.get(n)!.tags];

/** Desired end state: merchant tags ∪ tags of the customer's tagged segments (case-insensitive). */
async function expectExact(members: Record<string, number[]>) {
  for (const [index, n] of ids.entries()) {
    const want = new Map(merchantTags.get(n)!.map((tag) => [tag.toLowerCase(), tag]));
    for (const [tag, who] of Object.entries(members))
      if (who.includes(index) && !want.has(tag.toLowerCase())) want.set(tag.toLowerCase(), tag);
    expect(
      tagsInShopify(n)
        .map((t) => t.toLowerCase())
        .sort(),
      `customer #${index}`,
    ).toEqual([...want.keys()].sort());
  }
}

const range = (from: number, to: number, step = 1) => {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
};

beforeAll(async () => {
  const store = new Store({
    name: "Tags test",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  for (let i = 0; i < 60; i++) {
    const customer = store.createCustomer({
      tags: merchantTagsFor(i),
      marketingState: i % 2 === 0 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    });
    ids.push(customer.id);
    merchantTags.set(customer.id, [...customer.tags]);
  }
  standIn = await startStandIn({ shop, accessToken, apiSecret: "testApiSecretKey", store });
  gateway = createAdminGateway({ shop, accessToken, origin: standIn.origin, baseDelayMs: 50 });
  await recordInstall(shop, "");
  const now = new Date("2026-01-01T00:00:00Z");
  await prisma.customer.createMany({
    data: ids.map((n) => {
      const customer = store.customers.get(n)!;
      return {
        shop,
        id: customerGid(n),
        createdAt: now,
        updatedAt: now,
        tags: customer.tags.join(", "),
        emailMarketingState: customer.marketingState,
      };
    }),
  });
});

afterAll(async () => {
  await standIn?.close();
});

const gids = (indexes: number[]) => indexes.map((i) => ids[i]);

describe("tags apply against the stand-in", () => {
  let vip: { id: string };
  let repeat: { id: string };
  let oneTime: { id: string };

  it("writes exactly members' segment tags, leaving every merchant tag alone; a rerun makes 0 calls", async () => {
    vip = await createSegment(shop, "vip");
    repeat = await createSegment(shop, "repeat");
    oneTime = await createSegment(shop, "one-time", false); // tagging off
    await setMembers(shop, vip.id, gids(range(0, 20)));
    await setMembers(shop, repeat.id, gids(range(10, 40)));
    await setMembers(shop, oneTime.id, gids(range(40, 60)));

    const dry = await applyShopTags(gateway, shop, { dryRun: true });
    expect(dry.apiCalls).toBe(0);
    expect(dry.adds).toBeGreaterThan(0);
    expect(await ledgerOf(shop)).toEqual([]);

    const first = await applyShopTags(gateway, shop, { strategy: "paced" });
    expect(first.failures).toEqual([]);
    expect(first.throttled).toBe(0);
    // Customers 0 and 14 already carry the merchant's own seg-vip: not written, not in the ledger.
    expect(first.merchantOwned).toBe(3);
    expect(first.apiCalls).toBe(first.mutations);
    await expectExact({ "seg-vip": range(0, 20), "seg-repeat": range(10, 40) });

    const again = await applyShopTags(gateway, shop);
    expect(again).toMatchObject({ apiCalls: 0, customers: 0, mutations: 0 });
  });

  it("writes only changed customers after memberships move, through a bulk operation", async () => {
    await setMembers(shop, vip.id, gids(range(5, 25)));
    await setMembers(shop, repeat.id, gids(range(10, 40, 2)));
    const report = await applyShopTags(gateway, shop, { bulk: { pollMs: 20 } });
    expect(report.strategy).toBe("bulk");
    expect(report.failures).toEqual([]);
    expect(report.bulkOperations.map((op) => op.status)).toEqual(["COMPLETED", "COMPLETED"]);
    // Leave vip: #1–4 (#0's seg-vip is the merchant's); enter: #20, 22–24 (#21 has its own);
    // leave repeat: the 15 odd ones in 11–39; #23 does both: 22 customers, the other 38 cost nothing.
    expect(report.customers).toBe(22);
    await expectExact({ "seg-vip": range(5, 25), "seg-repeat": range(10, 40, 2) });
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
  });

  it("finishes a run killed halfway exactly on the next run", async () => {
    await setMembers(shop, vip.id, gids(range(30, 60)));
    await setMembers(shop, oneTime.id, []);
    let mutations = 0;
    const dying: AdminGateway = {
      ...gateway,
      async mutate(document, variables, payloadField) {
        if (++mutations > 12) throw new Error("process killed");
        return gateway.mutate(document, variables, payloadField);
      },
    };
    await expect(applyShopTags(dying, shop, { strategy: "paced", concurrency: 1 })).rejects.toThrow(
      "process killed",
    );
    expect(
      (await ledgerOf(shop)).some(
        (row) => row.endsWith("pending-add") || row.endsWith("pending-remove"),
      ),
    ).toBe(true);

    const resumed = await applyShopTags(gateway, shop);
    expect(resumed.failures).toEqual([]);
    await expectExact({ "seg-vip": range(30, 60), "seg-repeat": range(10, 40, 2) });
    expect((await ledgerOf(shop)).filter((row) => row.includes("pending"))).toEqual([]);
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
  });

  it("finishes a bulk run that died while waiting for its operation, without duplicates", async () => {
    await setMembers(shop, repeat.id, gids(range(0, 60, 3)));
    const dying: AdminGateway = {
      ...gateway,
      async request(document, variables) {
        if (document.includes("BulkOperationStatus")) throw new Error("process killed");
        return gateway.request(document, variables);
      },
    };
    await expect(applyShopTags(dying, shop, { strategy: "bulk" })).rejects.toThrow(
      "process killed",
    );
    const resumed = await applyShopTags(gateway, shop);
    expect(resumed.failures).toEqual([]);
    await expectExact({ "seg-vip": range(30, 60), "seg-repeat": range(0, 60, 3) });
    for (const n of ids) {
      const tags = tagsInShopify(n).map((t) => t.toLowerCase());
      expect(tags.length).toBe(new Set(tags).size);
    }
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
  });

  it("creates the Shopify segment once and counts its email-subscribed members", async () => {
    const first = await publishShopifySegment(gateway, shop, vip.id);
    expect(first).toMatchObject({
      created: true,
      name: "Persegment: vip",
      query: "customer_tags CONTAINS 'seg-vip'",
    });
    const second = await publishShopifySegment(gateway, shop, vip.id);
    expect(second).toMatchObject({ created: false, shopifySegmentId: first.shopifySegmentId });
    // Even with the stored id forgotten, the segment is found by name, not created twice.
    await prisma.segment.update({ where: { id: vip.id }, data: { shopifySegmentId: null } });
    const third = await publishShopifySegment(gateway, shop, vip.id);
    expect(third).toMatchObject({ created: false, shopifySegmentId: first.shopifySegmentId });
    expect(
      [...standIn.store.segments.values()].filter((s) => s.name === "Persegment: vip"),
    ).toHaveLength(1);

    // Shopify counts everyone carrying the tag, the merchant's own seg-vip holders included.
    const subscribed = [...standIn.store.customers.values()].filter(
      (c) => c.marketingState === "SUBSCRIBED" && c.tags.some((t) => t.toLowerCase() === "seg-vip"),
    ).length;
    expect(await shopifySubscribedCount(gateway, "seg-vip")).toBe(subscribed);
  });

  it("removes every app tag and nothing else for a clean uninstall", async () => {
    const report = await removeAllAppTags(gateway, shop);
    expect(report.failures).toEqual([]);
    await expectExact({});
    expect(await prisma.segment.count({ where: { shop, tagEnabled: true } })).toBe(0);
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
  });
});
