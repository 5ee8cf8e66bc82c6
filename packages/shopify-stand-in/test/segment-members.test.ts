// Shopify Email activity and `customerSegmentMembers` over real HTTP and the real schema: the
// members of a segment query are the customers an independent reading of the store's email events
// and orders selects, and what Shopify refuses is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, Store, generateStore, startStandIn } from "../src";
import { NOW, adminGraphql } from "./helpers";

const DAY = 86_400_000;
let standIn: StandIn;

beforeAll(async () => {
  const store = generateStore({ customers: 400, seed: 5, now: NOW });
  store.clock = () => NOW.getTime();
  standIn = await startStandIn({
    shop: "members-test.myshopify.com",
    accessToken: "stand-in-token",
    apiSecret: "testApiSecretKey",
    store,
  });
});
afterAll(() => standIn.close());

const MEMBERS = `#graphql
  query Members($query: String, $first: Int!, $after: String, $timezone: String) {
    customerSegmentMembers(query: $query, first: $first, after: $after, timezone: $timezone) {
      totalCount
      edges { node { id numberOfOrders } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

async function memberIds(query: string, first = 998, timezone?: string) {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { body } = await adminGraphql(standIn, MEMBERS, { query, first, after, timezone });
    expect(body.errors).toBeUndefined();
    const page = body.data.customerSegmentMembers;
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, total: page.totalCount as number };
    after = page.pageInfo.endCursor;
  }
}

/** Independently: customers with an event of `kind` on or after the UTC day `days` ago. */
function withEvent(kind: string, days: number, atLeast = 1) {
  const since = NOW.getTime() - days * DAY;
  const ids = new Set<number>();
  for (const [customerId, events] of standIn.store.emailEvents)
    if (events.filter((e) => e.kind === kind && e.at >= since).length >= atLeast)
      ids.add(customerId);
  return ids;
}

const memberGid = (id: number) => `gid://shopify/CustomerSegmentMember/${id}`;

describe("Shopify Email activity in the generated store", () => {
  it("gives subscribed customers campaigns' events, and nobody else", () => {
    const { store } = standIn;
    expect(store.emailActivities.size).toBeGreaterThan(10);
    const subscribed = [...store.customers.values()].filter(
      (c) => c.marketingState === "SUBSCRIBED",
    );
    const recipients = [...store.emailEvents.keys()];
    expect(recipients.every((id) => store.customer(id).marketingState === "SUBSCRIBED")).toBe(true);
    expect(recipients.length).toBeGreaterThan(subscribed.length * 0.8);
    expect(withEvent("opened", 90).size).toBeGreaterThan(0);
    expect(withEvent("clicked", 90).size).toBeGreaterThan(0);
    // Some recipients never open: the disengaged exist too.
    expect(withEvent("delivered", 90, 5).size).toBeGreaterThan(withEvent("opened", 90).size);
    for (const events of store.emailEvents.values())
      for (const event of events) expect(event.at).toBeLessThan(NOW.getTime());
  });

  it("is seeded, and leaves the rest of the store as it was without it", () => {
    const again = generateStore({ customers: 400, seed: 5, now: NOW });
    expect([...again.emailEvents]).toEqual([...standIn.store.emailEvents]);
    const without = generateStore({ customers: 400, seed: 5, now: NOW, shopifyEmail: false });
    expect(without.emailActivities.size).toBe(0);
    expect(without.emailEvents.size).toBe(0);
    expect([...without.customers.values()]).toEqual([...again.customers.values()]);
    expect([...without.orders.values()]).toEqual([...again.orders.values()]);
  });
});

describe("customerSegmentMembers", () => {
  it("selects those who opened or clicked in the last 90 days, paged, as member ids", async () => {
    const query =
      "shopify_email.opened(date: -90d) = true OR shopify_email.clicked(date: -90d) = true";
    const expected = new Set([...withEvent("opened", 90), ...withEvent("clicked", 90)]);
    const small = await memberIds(query, 50);
    const whole = await memberIds(query);
    expect(small.ids).toEqual(whole.ids);
    expect(whole.total).toBe(expected.size);
    expect(new Set(whole.ids)).toEqual(new Set([...expected].map(memberGid)));
  });

  it("combines email events with subscription status, orders and NOT", async () => {
    const since = NOW.getTime() - 90 * DAY;
    const { store } = standIn;
    const expected = [...withEvent("delivered", 90, 5)].filter((id) => {
      const noRecentOrder = (store.customerStats(id).lastOrder?.processedAt ?? 0) < since;
      return (
        store.customer(id).marketingState === "SUBSCRIBED" &&
        !withEvent("opened", 90).has(id) &&
        noRecentOrder
      );
    });
    const { ids } = await memberIds(
      "email_subscription_status = 'SUBSCRIBED' AND shopify_email.delivered(date: -90d, count_at_least: 5) = true AND NOT shopify_email.opened(date: -90d) = true AND (last_order_date < -90d OR number_of_orders = 0)",
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set(expected.map(memberGid)));
  });

  it("counts one campaign with activity_id and refuses what Shopify refuses", async () => {
    const [campaign] = [...standIn.store.emailActivities.values()].slice(-1);
    const opened = [...standIn.store.emailEvents]
      .filter(([, events]) =>
        events.some((e) => e.activityId === campaign.id && e.kind === "opened"),
      )
      .map(([id]) => memberGid(id));
    const { ids } = await memberIds(`shopify_email.opened(activity_id: ${campaign.id}) = true`);
    expect(new Set(ids)).toEqual(new Set(opened));

    const refused = async (query: string, message: RegExp, variables: object = {}) => {
      const { status, body } = await adminGraphql(standIn, MEMBERS, {
        query,
        first: 10,
        ...variables,
      });
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors[0].message).toMatch(message);
      expect(body.errors[0].path).toEqual(["customerSegmentMembers"]);
    };
    // 2026-10's function syntax is not this version's.
    await refused(
      "shopify_email.opened MATCHES (date > -30d)",
      /Column 21: 'MATCHES' is unexpected/,
    );
    await refused("shopify_email.read() = true", /'shopify_email.read' filter cannot be found/);
    await refused("shopify_email.opened(since: -3d) = true", /'since' is not a parameter/);
    await refused("loyalty_points > 3", /'loyalty_points' filter cannot be found/);
    await refused("number_of_orders CONTAINS 3", /not a valid operator/);
    await refused("number_of_orders >", /ended unexpectedly/);
    await refused("number_of_orders > 1", /Timezone 'Mars\/Base' is invalid/, {
      timezone: "Mars/Base",
    });
    const oversized = await adminGraphql(standIn, MEMBERS, {
      query: "number_of_orders > 1",
      first: 1001,
    });
    expect(oversized.body.errors[0].extensions.code).toBe("MAX_PAGE_SIZE_EXCEEDED");
  });

  it("checks segmentCreate's query with the same parser", async () => {
    const create = `mutation($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id } userErrors { field message } } }`;
    const ok = await adminGraphql(standIn, create, {
      name: "Openers",
      query: "shopify_email.opened(date: -30d) = true",
    });
    expect(ok.body.data.segmentCreate.userErrors).toEqual([]);
    const bad = await adminGraphql(standIn, create, { name: "Bad", query: "opened = true" });
    expect(bad.body.data.segmentCreate.userErrors).toEqual([
      { field: ["query"], message: "Line 1 Column 0: 'opened' filter cannot be found." },
    ]);
  });
});

describe("relative dates", () => {
  it("are whole days on the calendar of the time zone asked for", async () => {
    // A customer whose only email was opened at 23:30 UTC three days before NOW: in UTC that is
    // the third day back, in Tokyo (UTC+9) already the second.
    const store = new Store();
    store.clock = () => NOW.getTime();
    const customer = store.createCustomer({ email: "a@example.com", marketingState: "SUBSCRIBED" });
    store.insertEmailActivity({ id: 77, title: "Hello", sentAt: NOW.getTime() - 4 * DAY });
    store.insertEmailEvent(customer.id, {
      activityId: 77,
      kind: "opened",
      at: NOW.getTime() - 3 * DAY + 23.5 * 3_600_000,
    });
    const local = await startStandIn({
      shop: "dates-test.myshopify.com",
      accessToken: "stand-in-token",
      apiSecret: "testApiSecretKey",
      store,
    });
    try {
      const ask = async (timezone: string) => {
        const { body } = await adminGraphql(local, MEMBERS, {
          query: "shopify_email.opened(date: -2d) = true",
          first: 10,
          timezone,
        });
        return body.data.customerSegmentMembers.totalCount;
      };
      expect(await ask("UTC")).toBe(0);
      expect(await ask("Asia/Tokyo")).toBe(1);
    } finally {
      await local.close();
    }
  });
});
