// PRODUCT.md §7 end to end: sync from the stand-in, recompute segments, then the tags commands
// as an operator runs them (separate processes, the stand-in as Shopify).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { recomputeShop } from "~/segments/recompute.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { runFullSync } from "~/sync/full-sync.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { runCli } from "../../support/cli";
import { changesIgnored } from "../../support/pipeline";

const TOKEN = "tags-cli-token";
const shop = testShop("tags-cli");
let standIn: StandIn;
const merchantTags = new Map<string, string[]>();

const cli = (...args: string[]) =>
  runCli(args, { NODE_ENV: "test", SHOPIFY_ADMIN_API_ORIGIN: standIn.origin });

const apiCalls = (stdout: string) => Number(/API calls made: (\d+)/.exec(stdout)?.[1]);

beforeAll(async () => {
  const store = generateStore({ customers: 120, seed: 7 });
  let i = 0;
  for (const customer of store.customers.values()) {
    // Merchant tags that look like the app's, written before the app ever ran.
    if (i % 9 === 0) customer.tags.push("seg-vip");
    if (i % 11 === 0) customer.tags.push("seg-champions-2024");
    merchantTags.set(`gid://shopify/Customer/${customer.id}`, [...customer.tags]);
    i++;
  }
  standIn = await startStandIn({ shop, accessToken: TOKEN, apiSecret: "testApiSecretKey", store });
  const scopes =
    "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products";
  await recordInstall(shop, scopes);
  await saveOfflineToken(shop, TOKEN, scopes);
  await runFullSync(
    createAdminGateway({ shop, accessToken: TOKEN, origin: standIn.origin }),
    changesIgnored,
    {
      pollIntervalMs: 20,
    },
  );
  await recomputeShop(shop);
});

afterAll(async () => {
  await standIn?.close();
});

describe("tags commands after sync and recompute", () => {
  it("previews, writes exactly, reruns with 0 calls and publishes Shopify segments once", async () => {
    const enable = await cli("tags", "enable", shop, "vip", "repeat", "one-time", "champions");
    expect(enable.stderr).toBe("");
    expect(enable.stdout).toContain("vip: tagging on (seg-vip)");

    const dry = await cli("tags", "apply", shop, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: would write \d+ tag adds and 0 tag removes/);
    expect(apiCalls(dry.stdout)).toBe(0);
    expect(await prisma.tagLedger.count({ where: { shop } })).toBe(0);

    const apply = await cli("tags", "apply", shop);
    expect(apply.code).toBe(0);
    expect(apiCalls(apply.stdout)).toBeGreaterThan(0);

    // Every customer: their own tags ∪ the tags of their tagged segments, nothing else.
    const tagged = await prisma.segment.findMany({ where: { shop, tagEnabled: true } });
    expect(tagged.length).toBe(4);
    const members = await prisma.segmentMember.findMany({
      where: { shop, segmentId: { in: tagged.map((s) => s.id) } },
    });
    expect(members.length).toBeGreaterThan(0);
    const handleOf = new Map(tagged.map((s) => [s.id, s.handle]));
    for (const customer of standIn.store.customers.values()) {
      const gid = `gid://shopify/Customer/${customer.id}`;
      const want = new Set(merchantTags.get(gid)!.map((t) => t.toLowerCase()));
      for (const m of members)
        if (m.customerId === gid) want.add(`seg-${handleOf.get(m.segmentId)}`);
      expect(customer.tags.map((t) => t.toLowerCase()).sort(), gid).toEqual([...want].sort());
    }

    const again = await cli("tags", "apply", shop);
    expect(apiCalls(again.stdout)).toBe(0);
    expect(again.stdout).toContain("wrote 0 tag adds and 0 tag removes for 0 customers");

    const publish = await cli("segments", "publish-shopify", shop);
    expect(publish.code).toBe(0);
    expect(publish.stdout.match(/: created "Persegment: /g)).toHaveLength(4);
    const republish = await cli("segments", "publish-shopify", shop);
    expect(republish.stdout.match(/: already there "Persegment: /g)).toHaveLength(4);
    expect(
      [...standIn.store.segments.values()].filter((s) => s.name.startsWith("Persegment: ")),
    ).toHaveLength(4);
  });

  it("explains a wrong call and changes nothing", async () => {
    const missing = await cli("tags", "apply");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing <shop>");
    const unknown = await cli("tags", "enable", shop, "no-such-segment");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No segment "no-such-segment".*known: /);
    const strategy = await cli("tags", "apply", shop, "--strategy", "fast");
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toContain("--strategy must be one of paced, bulk");
  });
});
