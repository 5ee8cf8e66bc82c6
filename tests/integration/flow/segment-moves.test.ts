// Segment moves start Shopify Flow workflows: once per entry or exit of a segment whose Flow switch
// is on, through the real webhook route, inbox, recompute and the flow.send job's body, against
// the stand-in (which checks each call as Flow checks it against the trigger's fields). Moves from
// before the switch, recomputes that change nothing and the app's own tag echoes send nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { FLOW_TRIGGER_HANDLES } from "~/domain/segments/flow-triggers";
import { recordInstall } from "~/models/shop.server";
import { saveCustomSegment } from "~/segments/custom.server";
import { sendFlowTriggers, shopsWithFlowMoves, switchFlow } from "~/segments/flow.server";
import { recomputeShop } from "~/segments/recompute.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { gatewayForShop } from "~/shops/access.server";
import { applyShopTags } from "~/tags/apply.server";
import { setTagging } from "~/tags/setup.server";
import { FLOW_TRIGGER_RECEIVE } from "~/shopify/operations/flow";
import {
  generateStore,
  startStandIn,
  type StandIn,
  type StoreChange,
} from "@persegment/shopify-stand-in";
import { deliverThroughWebhookRoute } from "../../support/pipeline";
import { storeOfflineSession, testShop } from "../../support/shopify-requests";
import { insertGeneratedStore } from "../../support/store-rows";

const shop = testShop("flow-moves");
let standIn: StandIn;
const changes: StoreChange[] = [];
let segmentId = "";

/** Delivers what changed in the stand-in since the last call to the app's webhook route. */
const deliverChanges = () => deliverThroughWebhookRoute(shop, changes.splice(0));

const calls = () => standIn.store.flowTriggers.map(({ handle, payload }) => ({ handle, payload }));
const prospects = () =>
  [...standIn.store.customers.values()].filter(
    (customer) =>
      ![...standIn.store.orders.values()].some((order) => order.customerId === customer.id),
  );

/** The customer buys one unit of the store's first variant in Shopify. */
function placeOrder(customerId: number) {
  const variant = [...standIn.store.variants.values()][0];
  return standIn.store.createOrder({ customerId, lines: [{ variantId: variant.id, quantity: 1 }] });
}

beforeAll(async () => {
  const store = generateStore({ customers: 60, seed: 21 });
  const session = await storeOfflineSession(shop);
  await recordInstall(shop, "read_customers,write_customers,read_orders,read_products");
  standIn = await startStandIn({
    shop,
    accessToken: session.accessToken!,
    apiSecret: "testApiSecretKey",
    store,
  });
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
  await insertGeneratedStore(shop, store);
  await recomputeShop(shop);
  const saved = await saveCustomSegment(shop, {
    name: "Buyers",
    rule: { field: "orders", op: ">=", value: 1 },
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
  segmentId = saved.segment.id;
  store.subscribe((change) => changes.push(change));
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn?.close();
});

describe("Shopify Flow triggers for segment moves", () => {
  it("sends nothing for a segment whose Flow is off, nor for its members when it is turned on", async () => {
    expect(prospects().length).toBeGreaterThanOrEqual(2);
    const [first] = prospects();
    placeOrder(first.id);
    await deliverChanges();
    expect(await shopsWithFlowMoves()).not.toContain(shop);

    const response = await switchFlow(shop, "buyers", "true");
    expect(response.status).toBe(200);
    expect(await shopsWithFlowMoves()).not.toContain(shop);
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 0, refused: 0 });
    expect(calls()).toEqual([]);
  });

  it("sends one 'entered' per new member and one 'left' per exit, once, in order", async () => {
    const [buyer] = prospects();
    const order = placeOrder(buyer.id);
    await deliverChanges();
    expect(await shopsWithFlowMoves()).toContain(shop);
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 1, refused: 0 });
    const segment = { "Segment name": "Buyers", "Segment handle": "buyers" };
    expect(calls()).toEqual([
      { handle: FLOW_TRIGGER_HANDLES.entered, payload: { customer_id: buyer.id, ...segment } },
    ]);

    // Sending again, a full recompute that changes nothing, and the echoes of the app's own tag
    // writes (customer.tags_added, customers/update): no call.
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 0, refused: 0 });
    await recomputeShop(shop);
    await setTagging(shop, segmentId, true);
    const written = await applyShopTags(await gatewayForShop(shop), shop);
    expect(written.adds).toBeGreaterThan(1);
    expect(changes.map((change) => change.topic)).toContain("customer.tags_added");
    await deliverChanges();
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 0, refused: 0 });

    standIn.store.cancelOrder(order.id);
    await deliverChanges();
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 1, refused: 0 });
    expect(calls().slice(1)).toEqual([
      { handle: FLOW_TRIGGER_HANDLES.left, payload: { customer_id: buyer.id, ...segment } },
    ]);
    expect(await shopsWithFlowMoves()).not.toContain(shop);
  });

  it("stops when turned off: later moves are not sent, and turning on again starts from then", async () => {
    expect((await switchFlow(shop, "buyers", "false")).status).toBe(200);
    const [buyer] = prospects();
    placeOrder(buyer.id);
    await deliverChanges();
    const before = calls().length;
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 0, refused: 0 });
    expect((await switchFlow(shop, "buyers", "true")).status).toBe(200);
    expect(await sendFlowTriggers(shop)).toEqual({ sent: 0, refused: 0 });
    expect(calls()).toHaveLength(before);
  });

  it("refuses a bad switch value with 400 and an unknown segment with 404, changing nothing", async () => {
    const before = await prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
    expect((await switchFlow(shop, "buyers", "yes")).status).toBe(400);
    expect((await switchFlow(shop, "no-such-segment", "true")).status).toBe(404);
    expect(await prisma.segment.findUniqueOrThrow({ where: { id: segmentId } })).toEqual(before);
  });

  it("has the stand-in refuse what Flow refuses: an unknown trigger, a missing field, a stranger", async () => {
    const gateway = createAdminGateway({
      shop,
      accessToken: (await storeOfflineSession(shop)).accessToken!,
      origin: standIn.origin,
    });
    const [customer] = standIn.store.customers.values();
    const send = (handle: string, payload: object) =>
      gateway.mutate(FLOW_TRIGGER_RECEIVE, { handle, payload }, "flowTriggerReceive");
    const valid = {
      customer_id: customer.id,
      "Segment name": "Buyers",
      "Segment handle": "buyers",
    };
    await expect(send("persegment-segment-moved", valid)).rejects.toThrow(/not found/);
    await expect(
      send(FLOW_TRIGGER_HANDLES.entered, { customer_id: customer.id, "Segment name": "Buyers" }),
    ).rejects.toThrow(/Segment handle must be a string/);
    await expect(
      send(FLOW_TRIGGER_HANDLES.entered, { ...valid, customer_id: 999_999_999 }),
    ).rejects.toThrow(/Customer not found/);
    await expect(send(FLOW_TRIGGER_HANDLES.entered, { ...valid, extra: "x" })).rejects.toThrow(
      /extra is not a field/,
    );
  });
});
