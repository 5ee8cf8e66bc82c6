// Email engagement groups end to end on the stand-in, through the real schema: the app reads each
// group's Shopify segment query over HTTP, and the stored memberships equal an independent reading
// of the stand-in's Shopify Email events and orders. Only memberships are stored; moves are
// recorded like every segment's; a full recompute leaves the groups alone; a shop that sends no
// Shopify Email gets no groups, and the segment list says why.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { ENGAGEMENT_WINDOW_DAYS } from "~/domain/segments/engagement";
import type { JobData, JobTable } from "~/jobs/job-system";
import { recordInstall } from "~/models/shop.server";
import { createPipeline } from "~/pipeline.server";
import { loader as listLoader } from "~/routes/app.segments._index";
import { readEngagementGroups, shopsDueForEngagementRead } from "~/segments/engagement.server";
import { recomputeShop } from "~/segments/recompute.server";
import {
  generateStore,
  startStandIn,
  type StandIn,
  type Store,
} from "@persegment/shopify-stand-in";
import { everythingHeldFor } from "../../support/held-rows";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { customerGid, insertGeneratedStore } from "../../support/store-rows";

const DAY = 86_400_000;
const SCOPES = "read_customers,write_customers,read_orders,read_products";
const withEmail = testShop("engagement");
const withoutEmail = testShop("no-shopify-email");
const standIns: StandIn[] = [];
let store: Store;

async function shopOnStandIn(shop: string, generated: Store) {
  const session = await storeOfflineSession(shop);
  await recordInstall(shop, SCOPES);
  // The stand-in's clock stands still: every read of a test counts days from the same today.
  const now = Date.now();
  generated.clock = () => now;
  const standIn = await startStandIn({
    shop,
    accessToken: session.accessToken!,
    apiSecret: "testApiSecretKey",
    store: generated,
  });
  standIns.push(standIn);
  await insertGeneratedStore(shop, generated);
  await recomputeShop(shop);
  return standIn;
}

beforeAll(async () => {
  store = generateStore({ customers: 300, seed: 41 });
  const standIn = await shopOnStandIn(withEmail, store);
  // Every Admin API call of this file goes to the first stand-in, except the second shop's.
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const standIn of standIns) await standIn.close();
});

/** The groups as PRODUCT.md defines them, read straight from the stand-in's records. */
function expectedGroups(from: Store) {
  const today = Math.floor(from.clock() / DAY);
  const since = today - ENGAGEMENT_WINDOW_DAYS;
  const inWindow = (at: number) => Math.floor(at / DAY) >= since;
  const groups = {
    "email-engaged": new Set<string>(),
    "email-clicked-no-order": new Set<string>(),
    "email-disengaged": new Set<string>(),
  };
  for (const customer of from.customers.values()) {
    if (customer.marketingState !== "SUBSCRIBED") continue;
    const events = (from.emailEvents.get(customer.id) ?? []).filter((e) => inWindow(e.at));
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    const lastOrder = from.customerStats(customer.id).lastOrder;
    const orderedInWindow = lastOrder !== null && Math.floor(lastOrder.processedAt / DAY) >= since;
    const id = customerGid(customer.id);
    if (count("opened") > 0 || count("clicked") > 0) groups["email-engaged"].add(id);
    if (count("clicked") > 0 && !orderedInWindow) groups["email-clicked-no-order"].add(id);
    if (count("delivered") >= 5 && count("opened") === 0 && count("clicked") === 0)
      groups["email-disengaged"].add(id);
  }
  return groups;
}

async function storedGroups(shop: string) {
  const segments = await prisma.segment.findMany({ where: { shop, kind: "engagement" } });
  const groups: Record<string, Set<string>> = {};
  for (const segment of segments) {
    const members = await prisma.segmentMember.findMany({ where: { segmentId: segment.id } });
    groups[segment.handle] = new Set(members.map((member) => member.customerId));
    expect(segment.memberCount).toBe(members.length);
  }
  return groups;
}

describe("email engagement groups", () => {
  it("stores exactly the members Shopify's segment queries select, and nothing personal", async () => {
    const read = await readEngagementGroups(withEmail);
    expect(read.sendsShopifyEmail).toBe(true);
    expect(read.groups).toBe(3);
    const expected = expectedGroups(store);
    for (const members of Object.values(expected)) expect(members.size).toBeGreaterThan(0);
    expect(await storedGroups(withEmail)).toEqual(expected);
    const total = Object.values(expected).reduce((sum, members) => sum + members.size, 0);
    expect(read).toMatchObject({ entered: total, left: 0 });
    const groupIds = (
      await prisma.segment.findMany({ where: { shop: withEmail, kind: "engagement" } })
    ).map((segment) => segment.id);
    expect(
      await prisma.segmentEvent.count({
        where: { shop: withEmail, kind: "entered", segmentId: { in: groupIds } },
      }),
    ).toBe(total);

    const held = (await everythingHeldFor(withEmail)).join("\n");
    for (const customer of store.customers.values()) {
      expect(held).not.toContain(customer.email);
      expect(held).not.toContain(`"${customer.lastName}"`);
    }
    for (const activity of store.emailActivities.values())
      expect(held).not.toContain(String(activity.id));

    const list = await listLoader({
      request: await adminRequest(withEmail, "/app/segments"),
      params: {},
      context: {},
    });
    expect(list.engagementNotice).toBeNull();
    const listed = list.segments.filter((segment) => segment.kind === "engagement");
    expect(listed.map((segment) => segment.handle).sort()).toEqual(Object.keys(expected).sort());
  });

  it("follows new email activity on the next read, recording who left and who entered", async () => {
    const before = expectedGroups(store);
    const [disengaged] = [...before["email-disengaged"]];
    const numericId = Number(disengaged.split("/").pop());
    const [campaign] = [...store.emailActivities.values()].slice(-1);
    store.insertEmailEvent(numericId, {
      activityId: campaign.id,
      kind: "opened",
      at: store.clock(),
    });
    const segmentIds = Object.fromEntries(
      (await prisma.segment.findMany({ where: { shop: withEmail, kind: "engagement" } })).map(
        (segment) => [segment.handle, segment.id],
      ),
    );

    const read = await readEngagementGroups(withEmail);
    expect(read).toMatchObject({ entered: 1, left: 1 });
    expect(await storedGroups(withEmail)).toEqual(expectedGroups(store));
    const moves = await prisma.segmentEvent.findMany({
      where: { shop: withEmail, customerId: disengaged },
      orderBy: { id: "desc" },
      take: 2,
    });
    expect(moves.map((move) => [move.segmentId, move.kind]).sort()).toEqual(
      [
        [segmentIds["email-engaged"], "entered"],
        [segmentIds["email-disengaged"], "left"],
      ].sort(),
    );
  });

  it("is left alone by full recomputes, and read after a full sync and daily by the pipeline", async () => {
    const groups = await storedGroups(withEmail);
    await recomputeShop(withEmail);
    expect(await storedGroups(withEmail)).toEqual(groups);

    // The pipeline's own job bodies, with an engine that only records what they send.
    let table: JobTable = {};
    const sent: [string, JobData][] = [];
    createPipeline((jobs) => {
      table = jobs;
      return {
        send: async (name, data) => Boolean(sent.push([name, data])),
        start: async () => {},
        stop: async () => {},
        lastRun: async () => null,
      };
    }, {});
    const run = (name: string, data: JobData) => table[name].run(data as never);
    expect(await run("sync.full", { shop: withEmail })).toMatchObject({ status: "succeeded" });
    expect(sent).toContainEqual(["engagement.read", { shop: withEmail }]);
    expect(await run("engagement.read", { shop: withEmail })).toMatchObject({
      sendsShopifyEmail: true,
      groups: 3,
      entered: 0,
      left: 0,
    });
    expect(await storedGroups(withEmail)).toEqual(groups);
    // Read today: due again tomorrow (the hourly schedule sends it once per UTC day).
    expect(await shopsDueForEngagementRead()).not.toContain(withEmail);
    expect(await shopsDueForEngagementRead(new Date(Date.now() + DAY))).toContain(withEmail);
  });

  it("gives a shop that sends no Shopify Email no groups, and the segment list says why", async () => {
    const standIn = await shopOnStandIn(
      withoutEmail,
      generateStore({ customers: 40, seed: 42, shopifyEmail: false }),
    );
    vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
    try {
      const read = await readEngagementGroups(withoutEmail);
      expect(read).toEqual({ sendsShopifyEmail: false, groups: 0, entered: 0, left: 0 });
      expect(
        await prisma.segment.count({ where: { shop: withoutEmail, kind: "engagement" } }),
      ).toBe(0);
      expect(await prisma.shop.findUnique({ where: { domain: withoutEmail } })).toMatchObject({
        sendsShopifyEmail: false,
      });
      const list = await listLoader({
        request: await adminRequest(withoutEmail, "/app/segments"),
        params: {},
        context: {},
      });
      expect(list.engagementNotice).toMatch(/Shopify Email delivered no email/);
      expect(list.segments.length).toBeGreaterThan(0);
    } finally {
      vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIns[0].origin);
    }
  });
});
