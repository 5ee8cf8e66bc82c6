// Must-show 2 of issue 19 (PRODUCT.md §8): the Shopify stand-in's live traffic, driven in process
// day by day, with a known effect (customers the storefront shows bar B order more often), read
// by the app as in a shop: the bars saved by the app's storage (holdouts placed as the editor
// places them) and published (chooseBar = the Liquid's choice decides who sees B), each order
// parsed from its orders/create webhook and written by the app's order sync, and the report,
// verdict and plan read from the database by the results page's own service
// (app/measurement/bar-lift.server.ts). The truth it is judged against is exact
// (opportunityOdds), not estimated.
import {
  generateStore,
  opportunityOdds,
  Store,
  trafficSource,
  type TrafficOptions,
} from "@persegment/shopify-stand-in";
import prisma from "~/db.server";
import { normalCdf, normalQuantile } from "~/domain/measurement/distributions";
import type { Call, LiftReport } from "~/domain/measurement/lift";
import type { TestPlan } from "~/domain/measurement/sample-size";
import {
  DEFAULT_BAR,
  validateBar,
  withPlacedHoldout,
  type BarDefinition,
} from "~/domain/storefront/bars";
import { publishedBars } from "~/domain/storefront/published";
import { chooseBar } from "~/domain/storefront/selection";
import { orderFromRest, type OrderRow } from "~/domain/sync/records";
import { barResults } from "~/measurement/bar-lift.server";
import { listBars, saveBar } from "~/models/bars.server";
import { upsertCustomers } from "~/models/customers.server";
import { upsertOrders } from "~/models/orders.server";

const DAY_MS = 86_400_000;
const LAUNCH = Date.UTC(2026, 2, 2);

/** The shop: its logged-in customers (all in bar B's audience) and how often they order. */
export interface ShopModel {
  customers: number;
  /** Order opportunities per customer and day (a twentieth of them are guests' orders). */
  opportunitiesPerCustomerDay: number;
  /** Bar B's holdout, in percent. */
  holdoutPercent: number;
}

export const SHOP: ShopModel = {
  customers: 30_000,
  opportunitiesPerCustomerDay: 0.015,
  holdoutPercent: 10,
};

const GUEST_SHARE = 0.05;
const trafficOptions = (seed: number, relativeLift: number, affected: (id: number) => boolean) =>
  ({
    seed,
    newCustomerShare: 0,
    guestShare: GUEST_SHARE,
    effect: relativeLift === 0 ? undefined : { applies: affected, relativeLift },
  }) satisfies TrafficOptions;

const catalog = generateStore({ customers: 0, seed: 19, now: new Date(LAUNCH) });

/** A shop of its own per seed: the same catalogue, customers with ids of their own (as Shopify's). */
function seedStore(seed: number, customers: number) {
  const store = new Store({ ...catalog.shop });
  for (const collection of catalog.collections.values()) store.insertCollection(collection);
  for (const product of catalog.products.values()) store.insertProduct(product);
  let id = 7_000_000_000_000 + seed * 1_000_000_000;
  let state = seed;
  for (let index = 0; index < customers; index++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    id += 1 + (state % 40); // other shops' customers in between
    store.insertCustomer({
      id,
      firstName: "Sim",
      lastName: `Customer ${index}`,
      email: `c${index}@example.com`,
      createdAt: LAUNCH - 365 * DAY_MS,
      updatedAt: LAUNCH - 365 * DAY_MS,
      tags: [],
      address: null,
      marketingState: "NOT_SUBSCRIBED",
    });
  }
  return store;
}

const bar = (name: string, priority: number, holdoutPercent: number): BarDefinition => ({
  ...DEFAULT_BAR,
  name,
  priority,
  messages: { en: name },
  audience: { segments: [], countries: [], visitors: "logged-in" },
  holdout: { percent: holdoutPercent, start: null, since: null },
});

/**
 * The shop's bars, saved as the editor saves them at launch: a lower-priority bar with its own
 * holdout first (so B's holdout is placed after it), then B, shown to every logged-in customer.
 * Returns B's id and the bars as the storefront reads them.
 */
async function saveShopBars(shopDomain: string, holdoutPercent: number) {
  for (const definition of [bar("Come back soon", 10, 10), bar("B", 50, holdoutPercent)]) {
    const valid = validateBar(definition, []);
    const placed = valid.ok
      ? withPlacedHoldout(valid.value, null, await listBars(shopDomain), new Date(LAUNCH))
      : valid;
    if (!placed.ok) throw new Error(JSON.stringify(placed.errors));
    await saveBar(shopDomain, placed.value);
  }
  const stored = await listBars(shopDomain);
  return {
    barId: stored.find((entry) => entry.name === "B")!.id,
    published: publishedBars(stored, "seg-", new Date(LAUNCH)),
  };
}

/** Drives `days` days of traffic from `start`; `endOfDay` receives each day's orders. */
async function runTraffic(
  store: Store,
  options: TrafficOptions,
  { start, days, perDay }: { start: number; days: number; perDay: number },
  endOfDay: (day: number, orders: OrderRow[]) => Promise<void>,
) {
  let today: OrderRow[] = [];
  let now = start;
  store.clock = () => now;
  const stop = store.subscribe((change) => {
    if (change.topic === "orders/create")
      today.push(orderFromRest(change.payload as Record<string, unknown>).order);
  });
  const source = trafficSource(store, options);
  try {
    for (let day = 0; day < days; day++) {
      for (let step = 0; step < perDay; step++) {
        now = Math.floor(start + (day + (step + 0.5) / perDay) * DAY_MS);
        source.placeOrders();
      }
      const orders = today;
      today = [];
      await endOfDay(day + 1, orders);
    }
  } finally {
    stop();
  }
}

const gid = (id: number) => `gid://shopify/Customer/${id}`;
const perDay = (shop: ShopModel) => Math.round(shop.customers * shop.opportunitiesPerCustomerDay);

/** Ten weeks before launch: what the results page's plan reads (HISTORY_WEEKS). */
const HISTORY_DAYS = 70;

/**
 * The shop's orders in the ten weeks before launch, the same traffic without any bar, by the
 * index of the customer who placed each (every seed's shop gets this history for its own
 * customers: the traffic's odds depend on a customer's index only).
 */
const histories = new Map<ShopModel, { index: number; order: OrderRow }[]>();
async function historyOf(shop: ShopModel, seed = 10_000) {
  const known = histories.get(shop);
  if (known) return known;
  const store = seedStore(seed, shop.customers);
  const indexOf = new Map([...store.customers.keys()].map((id, index) => [gid(id), index]));
  const history: { index: number; order: OrderRow }[] = [];
  await runTraffic(
    store,
    trafficOptions(seed, 0, () => false),
    { start: LAUNCH - HISTORY_DAYS * DAY_MS, days: HISTORY_DAYS, perDay: perDay(shop) },
    async (_, orders) => {
      for (const order of orders)
        if (order.customerId) history.push({ index: indexOf.get(order.customerId)!, order });
    },
  );
  histories.set(shop, history);
  return history;
}

/** A seed's shop in the database: its customers, their history, and the two bars. */
async function setUpShop(shop: ShopModel, seed: number) {
  const domain = `lift-simulation-${seed}.myshopify.com`;
  await removeShop(domain);
  const store = seedStore(seed, shop.customers);
  const ids = [...store.customers.keys()];
  const joined = new Date(LAUNCH - 365 * DAY_MS);
  await upsertCustomers(
    prisma,
    domain,
    ids.map((id) => ({
      id: gid(id),
      createdAt: joined,
      updatedAt: joined,
      tags: "",
      countryCode: null,
      provinceCode: null,
      city: null,
      emailMarketingState: null,
      numberOfOrders: 0,
      amountSpentCents: 0n,
    })),
    new Date(LAUNCH),
  );
  const history = (await historyOf(shop)).map(({ index, order }, number) => ({
    ...order,
    // Ids of their own: the seed's traffic numbers its orders from the same start.
    id: `gid://shopify/Order/${9_000_000_000 + number}`,
    customerId: gid(ids[index]),
  }));
  await upsertOrders(prisma, domain, history, [], new Date(LAUNCH));
  return { domain, store, ids, ...(await saveShopBars(domain, shop.holdoutPercent)) };
}

async function removeShop(domain: string) {
  await prisma.order.deleteMany({ where: { shop: domain } });
  await prisma.customer.deleteMany({ where: { shop: domain } });
  await prisma.bar.deleteMany({ where: { shop: domain } });
}

/** The measured results, read as the results page reads them. */
async function measured(domain: string, barId: string, at: number) {
  const results = await barResults(domain, barId, new Date(at));
  if (results?.kind !== "measured") throw new Error(`bar B is not measured: ${results?.kind}`);
  return results.lift;
}

/**
 * The test's plan for a 10 % relative lift in conversion, made by the results page before
 * launch from the history of a seed's shop (the same for every seed: the same history).
 */
export async function planFor(shop: ShopModel): Promise<TestPlan> {
  const { domain, barId } = await setUpShop(shop, 0);
  try {
    const results = await barResults(domain, barId, new Date(LAUNCH));
    if (results?.kind !== "not-started") throw new Error(`bar B before launch: ${results?.kind}`);
    if (!results.plan)
      throw new Error("the shop's audience is too small for this lift within 10 weeks");
    return results.plan;
  } finally {
    await removeShop(domain);
  }
}

/** The true intention-to-treat effects and the held-out baseline, from the traffic's exact odds. */
export function trueEffect(shop: ShopModel, relativeLift: number, days: number) {
  const options = trafficOptions(0, relativeLift, () => true);
  const opportunities = days * Math.round(shop.customers * shop.opportunitiesPerCustomerDay);
  let [conversion, orders, baseline] = [0, 0, 0];
  for (let index = 0; index < shop.customers; index++) {
    const shown = opportunityOdds(options, index, shop.customers, true);
    const heldOut = opportunityOdds(options, index, shop.customers, false);
    const heldOutConversion = 1 - heldOut.none ** opportunities;
    baseline += heldOutConversion;
    conversion += 1 - shown.none ** opportunities - heldOutConversion;
    orders += opportunities * (shown.expected - heldOut.expected);
  }
  return {
    conversion: conversion / shop.customers,
    ordersPerCustomer: orders / shop.customers,
    baseline: baseline / shop.customers,
  };
}

/**
 * The per-order lift that makes shown customers' conversion over `days` days `conversionLift`
 * higher than held-out customers' (relative): an effect on the chance to order raises
 * conversion a little less, since some would have ordered anyway.
 */
export function orderLiftFor(shop: ShopModel, conversionLift: number, days: number) {
  let [low, high] = [0, 4 * conversionLift];
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    const { conversion, baseline } = trueEffect(shop, middle, days);
    if (conversion / baseline < conversionLift) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

export interface SeedOutcome {
  seed: number;
  shown: number;
  heldOut: number;
  report: LiftReport;
  truth: { conversion: number; ordersPerCustomer: number; revenuePerCustomerCents: number };
  /** The verdict at the planned end. */
  call: Call;
  /** The first call a merchant looking regularly would have seen before the end, if any. */
  earlyCall: Call | null;
  /** Whether a look before the end found a 95 % interval clear of zero (the naive rule). */
  naiveEarlyCall: boolean;
}

/**
 * One simulated test of bar B: `plan.days` days of traffic, customers shown B `relativeLift`
 * keener, each day's orders written as the app's sync writes them. With `looksEvery`, the
 * results are also read every that many days before the end, as a merchant might (each look
 * reads the whole shop, so the benchmark looks weekly).
 */
export async function runSeed(
  shop: ShopModel,
  plan: TestPlan,
  relativeLift: number,
  seed: number,
  { looksEvery = 0 } = {},
): Promise<SeedOutcome> {
  const { domain, store, ids, barId, published } = await setUpShop(shop, seed);
  try {
    // Whom the storefront shows B: the admin's chooseBar is the Liquid's choice (tested alike).
    const shownB = new Set(
      ids.filter(
        (id) =>
          chooseBar(
            published,
            {
              customerTags: [],
              customerId: id,
              country: "US",
              locale: "en",
              cartCurrency: "USD",
              cartTotalCents: 0,
            },
            new Date(LAUNCH),
          )?.bar.id === barId,
      ),
    );
    let earlyCall: Call | null = null;
    let naiveEarlyCall = false;
    const counted: OrderRow[] = [];
    await runTraffic(
      store,
      trafficOptions(seed, relativeLift, (id) => shownB.has(id)),
      { start: LAUNCH, days: plan.days, perDay: perDay(shop) },
      async (day, orders) => {
        const endOfDay = LAUNCH + day * DAY_MS;
        await upsertOrders(prisma, domain, orders, [], new Date(endOfDay));
        counted.push(...orders.filter((order) => order.customerId !== null));
        if (!looksEvery || day % looksEvery !== 0 || day === plan.days) return;
        const look = await measured(domain, barId, endOfDay);
        if (look.verdict.call !== "too-early") earlyCall ??= look.verdict.call;
        const interval = look.report.conversion.interval!;
        if (interval.low > 0 || interval.high < 0) naiveEarlyCall = true;
      },
    );
    const end = await measured(domain, barId, LAUNCH + plan.days * DAY_MS);
    if (end.plan?.days !== plan.days || end.plan.heldOut !== plan.heldOut)
      throw new Error(`seed ${seed} planned differently: ${JSON.stringify(end.plan)}`);
    const exact = trueEffect(shop, relativeLift, plan.days);
    const orderValue =
      counted.reduce((sum, order) => sum + Number(order.totalCents), 0) / counted.length;
    return {
      seed,
      shown: end.shown.customers,
      heldOut: end.heldOut.customers,
      report: end.report,
      truth: {
        conversion: exact.conversion,
        ordersPerCustomer: exact.ordersPerCustomer,
        // Order values do not depend on who orders: the expected orders times the mean order value.
        revenuePerCustomerCents: exact.ordersPerCustomer * orderValue,
      },
      call: end.verdict.call,
      earlyCall,
      naiveEarlyCall,
    };
  } finally {
    await removeShop(domain);
  }
}

/**
 * The chance the planned test detects the effect, by the normal approximation, with the exact
 * conversions and the shop's expected group sizes: what the detection rate should come near.
 */
export function expectedPower(shop: ShopModel, relativeLift: number, days: number) {
  const { conversion, baseline } = trueEffect(shop, relativeLift, days);
  const lifted = baseline + conversion;
  const heldOut = (shop.customers * shop.holdoutPercent) / 100;
  const spread = Math.sqrt(
    (lifted * (1 - lifted)) / (shop.customers - heldOut) + (baseline * (1 - baseline)) / heldOut,
  );
  return normalCdf(conversion / spread - normalQuantile(0.975));
}

const covers = (interval: { low: number; high: number } | null, value: number) =>
  interval !== null && interval.low <= value && value <= interval.high;

/** How many seeds' 95 % intervals cover the truth, per measure; and what the verdicts said. */
export function tally(outcomes: SeedOutcome[]) {
  return {
    seeds: outcomes.length,
    conversionCovered: outcomes.filter((o) =>
      covers(o.report.conversion.interval, o.truth.conversion),
    ).length,
    ordersCovered: outcomes.filter((o) =>
      covers(o.report.ordersPerCustomer.interval, o.truth.ordersPerCustomer),
    ).length,
    revenueCovered: outcomes.filter((o) =>
      covers(o.report.revenuePerCustomerCents.interval, o.truth.revenuePerCustomerCents),
    ).length,
    helps: outcomes.filter((o) => o.call === "helps").length,
    hurts: outcomes.filter((o) => o.call === "hurts").length,
    earlyCalls: outcomes.filter((o) => o.earlyCall !== null).length,
    naiveEarlyCalls: outcomes.filter((o) => o.naiveEarlyCall).length,
  };
}
