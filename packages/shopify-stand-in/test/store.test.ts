import { describe, expect, it } from "vitest";
import { type StoreChange, StoreError, generateStore } from "../src";
import { NOW } from "./helpers";

function recordingStore() {
  const store = generateStore({ customers: 40, seed: 12, now: NOW });
  let now = NOW.getTime();
  store.clock = () => (now += 1000);
  const changes: StoreChange[] = [];
  store.subscribe((change) => changes.push(change));
  return { store, changes, topics: () => changes.map((change) => change.topic) };
}

describe("store mutation helpers", () => {
  it("cancelOrder announces orders/cancelled, orders/updated and customers/update, bumping updatedAt", () => {
    const { store, topics } = recordingStore();
    const order = [...store.orders.values()].find(
      (o) => o.customerId !== null && o.cancelledAt === null,
    )!;
    const customer = store.customer(order.customerId!);
    const [orderBefore, customerBefore] = [order.updatedAt, customer.updatedAt];
    const spentBefore = store.customerStats(customer.id).amountSpentCents;
    store.cancelOrder(order.id);
    expect(topics()).toEqual(["orders/cancelled", "orders/updated", "customers/update"]);
    expect(order.updatedAt).toBeGreaterThan(orderBefore);
    expect(customer.updatedAt).toBeGreaterThan(customerBefore);
    expect(store.customerStats(customer.id).amountSpentCents).toBe(spentBefore - order.totalCents);
    expect(() => store.cancelOrder(order.id)).toThrow(StoreError);
  });

  it("deleteCustomer keeps their orders without a customer; deleteOrder removes the order", () => {
    const { store, topics, changes } = recordingStore();
    const customer = [...store.customers.values()].find((c) => store.ordersOf(c.id).length > 1)!;
    const orderIds = store.ordersOf(customer.id).map((o) => o.id);
    store.deleteCustomer(customer.id);
    expect(store.customers.has(customer.id)).toBe(false);
    expect(orderIds.every((id) => store.order(id).customerId === null)).toBe(true);
    expect(topics()[0]).toBe("customers/delete");
    expect(changes[0].payload).toEqual({
      id: customer.id,
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    });
    store.deleteOrder(orderIds[0]);
    expect(store.orders.has(orderIds[0])).toBe(false);
    expect(changes.at(-1)).toMatchObject({ topic: "orders/delete", payload: { id: orderIds[0] } });
  });

  it("mergeCustomers moves orders and tags to the kept customer and deletes the other", () => {
    const { store, topics } = recordingStore();
    const [kept, merged] = [...store.customers.values()].filter(
      (c) => store.ordersOf(c.id).length > 0,
    );
    merged.tags = ["wholesale", "from-merge"];
    const expectedOrders =
      store.customerStats(kept.id).numberOfOrders + store.customerStats(merged.id).numberOfOrders;
    store.mergeCustomers(kept.id, merged.id);
    expect(store.customers.has(merged.id)).toBe(false);
    expect(store.customerStats(kept.id).numberOfOrders).toBe(expectedOrders);
    expect(kept.tags).toEqual(expect.arrayContaining(["wholesale", "from-merge"]));
    expect(topics().slice(0, 2)).toEqual(["customers/merge", "customers/delete"]);
    expect(topics()).toContain("customers/update");
  });

  it("createOrder prices lines from the catalog and refuses unknown variants, changing nothing", () => {
    const { store, topics } = recordingStore();
    const variant = [...store.variants.values()][0];
    const customer = [...store.customers.values()][0];
    const order = store.createOrder({
      customerId: customer.id,
      lines: [{ variantId: variant.id, quantity: 3 }],
      discountCode: "TEN",
      discountPercent: 10,
    });
    expect(order.subtotalCents).toBe(3 * variant.priceCents);
    expect(order.totalCents).toBe(order.subtotalCents - Math.round(order.subtotalCents / 10));
    expect(topics()).toEqual(["orders/create", "customers/update"]);
    const count = store.orders.size;
    expect(() =>
      store.createOrder({ customerId: customer.id, lines: [{ variantId: 1, quantity: 1 }] }),
    ).toThrow(/No product variant 1/);
    expect(store.orders.size).toBe(count);
  });

  it("addCustomerTags is case-insensitive and additive; removeCustomerTags touches only listed tags", () => {
    const { store, topics, changes } = recordingStore();
    const customer = [...store.customers.values()][0];
    customer.tags = ["VIP-manual"];
    expect(store.addCustomerTags(customer.id, ["vip-manual", "seg-new"])).toEqual(["seg-new"]);
    expect(customer.tags).toEqual(["VIP-manual", "seg-new"]);
    expect(topics()).toEqual(["customer.tags_added", "customers/update"]);
    expect(changes[0].payload).toMatchObject({
      customerId: `gid://shopify/Customer/${customer.id}`,
      tags: ["seg-new"],
    });
    expect(store.addCustomerTags(customer.id, ["SEG-NEW"])).toEqual([]);
    expect(store.removeCustomerTags(customer.id, ["seg-new", "absent"])).toEqual(["seg-new"]);
    expect(customer.tags).toEqual(["VIP-manual"]);
  });
});
