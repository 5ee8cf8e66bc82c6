// A store the app has written to the real way (tags applied, Shopify segments created, storefront
// published), next to things the app never wrote: merchant tags, a tag that looks like an app
// tag, a merchant's own Shopify segment and metafield. What "remove everything" must tell apart.
import prisma from "~/db.server";
import { DEFAULT_BAR, validateBar } from "~/domain/storefront/bars";
import { saveBar } from "~/models/bars.server";
import { saveOverride } from "~/models/recommendations.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { SEGMENT_CREATE } from "~/shopify/operations/segments";
import { publishStorefront } from "~/storefront/publish.server";
import { applyShopTags } from "~/tags/apply.server";
import { publishShopifySegment } from "~/tags/shopify-segments.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { requestedScopes } from "../../support/shopify-requests";
import { createCustomers, createSegment, customerGid, setMembers } from "../tags/fixtures";

export const MERCHANT_SEGMENT = "Big spenders (by hand)";

/** Tags each test customer has before the app writes; `seg-vip` on #0 is the merchant's own. */
export const MERCHANT_TAGS = [
  ["seg-vip"],
  ["wholesale"],
  [],
  ["seg-champions"],
  ["newsletter"],
  [],
];

function cleanupTestStore(shop: string) {
  // 3,000 customers make 30 products: enough for more than one 25-metafield batch.
  const store = generateStore({ customers: 3000, seed: 3, shop: { domain: shop } });
  const ids = MERCHANT_TAGS.map((tags) => store.createCustomer({ tags: [...tags] }).id);
  return { store, ids };
}

/** Writes app tags, two Shopify segments and the storefront metafields (bars + product upsells). */
export async function dirtyTheStore(
  gateway: AdminGateway,
  shop: string,
  standIn: StandIn,
  ids: number[],
  upsellProducts = 29,
) {
  await createCustomers(
    shop,
    ids.map((n, i) => ({ n, tags: MERCHANT_TAGS[i] })),
  );
  const vip = await createSegment(shop, "vip");
  const lapsed = await createSegment(shop, "lapsed");
  await setMembers(shop, vip.id, [ids[0], ids[1], ids[2], ids[5]]);
  await setMembers(shop, lapsed.id, [ids[4], ids[5]]);
  const tags = await applyShopTags(gateway, shop);
  if (tags.failures.length) throw new Error(JSON.stringify(tags.failures));
  await publishShopifySegment(gateway, shop, vip.id);
  await publishShopifySegment(gateway, shop, lapsed.id);
  await gateway.mutate(
    SEGMENT_CREATE,
    { name: MERCHANT_SEGMENT, query: "amount_spent > 500" },
    "segmentCreate",
  );

  const bar = validateBar({ ...DEFAULT_BAR, name: "Welcome", messages: { en: "Hi" } }, []);
  if (!bar.ok) throw new Error(JSON.stringify(bar.errors));
  await saveBar(shop, bar.value);
  const products = [...standIn.store.products.values()].slice(0, upsellProducts + 1);
  await prisma.product.createMany({
    data: products.map((p) => ({
      shop,
      id: `gid://shopify/Product/${p.id}`,
      title: p.title,
      handle: p.handle,
    })),
  });
  for (let i = 0; i < upsellProducts; i++)
    await saveOverride(shop, `gid://shopify/Product/${products[i].id}`, {
      pinned: [`gid://shopify/Product/${products[i + 1].id}`],
      excluded: [],
    });
  await publishStorefront(gateway, shop, new Date());
  // A metafield of the merchant's own on a product the app also wrote to.
  const id = standIn.store.newId("Metafield");
  standIn.store.metafields.set(id, {
    id,
    ownerGid: `gid://shopify/Product/${products[0].id}`,
    namespace: "custom",
    key: "care",
    type: "single_line_text_field",
    value: "Hand wash",
    createdAt: Date.now(),
    updatedAt: Date.now(),
  });
  // vip: #1 #2 #5 (#0 had seg-vip already: the merchant's), lapsed: #4 #5.
  return { vip, lapsed, appTags: 5, upsellProducts };
}

/** Everything in the stand-in store a cleanup could touch, for before/after comparisons. */
export function storeSnapshot(standIn: StandIn, ids: number[]) {
  return {
    tags: ids.map((n) => [...standIn.store.customers.get(n)!.tags].sort()),
    segments: [...standIn.store.segments.values()].map((s) => s.name).sort(),
    metafields: [...standIn.store.metafields.values()]
      .map((m) => `${m.ownerGid} ${m.namespace}.${m.key}`)
      .sort(),
  };
}

export const appMetafields = (standIn: StandIn) =>
  [...standIn.store.metafields.values()].filter((m) => m.namespace !== "custom");

export { customerGid };

/**
 * The stand-in serving the test store, the shop installed with `accessToken` and the scopes
 * `shopify.app.toml` requests, and the app's writes made (`upsellProducts` as in dirtyTheStore).
 */
export async function startDirtyStore(shop: string, accessToken: string, upsellProducts?: number) {
  const { store, ids } = cleanupTestStore(shop);
  const scopes = requestedScopes();
  const standIn = await startStandIn({
    shop,
    accessToken,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
    scopes,
  });
  await recordInstall(shop, scopes.join(","));
  await saveOfflineToken(shop, accessToken, scopes.join(","));
  const gateway = createAdminGateway({
    shop,
    accessToken,
    origin: standIn.origin,
    baseDelayMs: 20,
  });
  const written = await dirtyTheStore(gateway, shop, standIn, ids, upsellProducts);
  return { standIn, ids, gateway, written };
}
