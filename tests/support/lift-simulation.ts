// Must-show 2 of issue 19 (PRODUCT.md §8): the Shopify stand-in's live traffic, driven in process
// day by day, with a known effect (customers the storefront shows bar B order more often), read
// by the app's own code: the bars published and assigned as the storefront does (holdouts placed
// by the app, chooseBar = the Liquid's choice), each order parsed from its orders/create webhook
// as the app parses it, and the lift report and verdict of app/domain/measurement. The truth it
// is judged against is exact (opportunityOdds), not estimated.
import {
  generateStore,
  opportunityOdds,
  Store,
  trafficSource,
  type TrafficOptions,
} from "@persegment/shopify-stand-in";
import { normalCdf, normalQuantile } from "~/domain/measurement/distributions";
import { holdoutGroups } from "~/domain/measurement/holdout-slot";
import {
  liftReport,
  liftVerdict,
  summarizeGroup,
  windowOutcomes,
  type Call,
  type LiftReport,
} from "~/domain/measurement/lift";
import {
  planTest,
  type AudienceForecast,
  type PowerTarget,
  type TestPlan,
} from "~/domain/measurement/sample-size";
import {
  barConfig,
  DEFAULT_BAR,
  validateBar,
  withPlacedHoldout,
  type BarDefinition,
  type StoredBar,
} from "~/domain/storefront/bars";
import { publishedBars, type PublishedBars } from "~/domain/storefront/published";
import { chooseBar } from "~/domain/storefront/selection";
import { orderFromRest, type OrderRow } from "~/domain/sync/records";

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
 * The shop's bars, saved as the editor saves them: a lower-priority bar with its own holdout first
 * (so B's holdout is placed after it), then B, shown to every logged-in customer.
 */
function shopBars(holdoutPercent: number): PublishedBars {
  const stored: StoredBar[] = [];
  for (const definition of [bar("Come back soon", 10, 10), bar("B", 50, holdoutPercent)]) {
    const valid = validateBar(definition, []);
    const placed = valid.ok
      ? withPlacedHoldout(valid.value, null, stored, new Date(LAUNCH))
      : valid;
    if (!placed.ok) throw new Error(JSON.stringify(placed.errors));
    stored.push({
      id: definition.name,
      name: definition.name,
      enabled: true,
      priority: definition.priority,
      config: barConfig(placed.value),
      createdAt: new Date(LAUNCH - (2 - stored.length) * DAY_MS),
    });
  }
  return publishedBars(stored, "seg-", new Date(LAUNCH));
}

/** Drives `days` days of traffic; `lookEachDay` sees the orders so far after each day. */
function runTraffic(
  store: Store,
  options: TrafficOptions,
  days: number,
  perDay: number,
  lookEachDay: (day: number, orders: OrderRow[]) => void = () => {},
) {
  const orders: OrderRow[] = [];
  let now = LAUNCH;
  store.clock = () => now;
  const stop = store.subscribe((change) => {
    if (change.topic === "orders/create")
      orders.push(orderFromRest(change.payload as Record<string, unknown>).order);
  });
  const source = trafficSource(store, options);
  for (let day = 0; day < days; day++) {
    for (let step = 0; step < perDay; step++) {
      now = Math.floor(LAUNCH + (day + (step + 0.5) / perDay) * DAY_MS);
      source.placeOrders();
    }
    lookEachDay(day + 1, orders);
  }
  stop();
  return orders;
}

const gid = (id: number) => `gid://shopify/Customer/${id}`;
const windowOf = (days: number) => ({
  from: new Date(LAUNCH),
  to: new Date(LAUNCH + days * DAY_MS),
});

/**
 * What the shop's history says before launch: the same traffic without any bar, over `days`
 * days, read as the share of customers who ordered by each day.
 */
export function forecastFromHistory(shop: ShopModel, days: number, seed = 10_000) {
  const store = seedStore(seed, shop.customers);
  const customers = [...store.customers.keys()].map(gid);
  const forecast: AudienceForecast[] = [];
  runTraffic(
    store,
    trafficOptions(seed, 0, () => false),
    days,
    Math.round(shop.customers * shop.opportunitiesPerCustomerDay),
    (day, orders) => {
      const outcomes = windowOutcomes(customers, orders, windowOf(day));
      const converted = outcomes.filter((outcome) => outcome.orders > 0).length;
      forecast.push({
        days: day,
        customers: shop.customers,
        conversion: converted / shop.customers,
      });
    },
  );
  return forecast;
}

export function planFor(shop: ShopModel, target: Omit<PowerTarget, "holdoutShare">) {
  const plan = planTest(forecastFromHistory(shop, 70), {
    ...target,
    holdoutShare: shop.holdoutPercent / 100,
  });
  if (!plan) throw new Error("the shop's audience is too small for this lift within 10 weeks");
  return plan;
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
  /** The first call a merchant looking every day would have seen before the end, if any. */
  earlyCall: Call | null;
  /** Whether a daily look before the end found a 95 % interval clear of zero (the naive rule). */
  naiveEarlyCall: boolean;
}

/**
 * One simulated test of bar B: `plan.days` days of traffic, customers shown B `relativeLift`
 * keener. With `dailyLooks`, the verdict is also read after every day, as a merchant might.
 */
export function runSeed(
  shop: ShopModel,
  plan: TestPlan,
  relativeLift: number,
  seed: number,
  { dailyLooks = true } = {},
): SeedOutcome {
  const store = seedStore(seed, shop.customers);
  const bars = shopBars(shop.holdoutPercent);
  const b = bars.bars.find((entry) => entry.id === "B")!;
  const ids = [...store.customers.keys()];
  // Whom the storefront shows B: the admin's chooseBar is the Liquid's choice (tested alike).
  const shownB = new Set(
    ids.filter(
      (id) =>
        chooseBar(
          bars,
          {
            customerTags: [],
            customerId: id,
            country: "US",
            locale: "en",
            cartCurrency: "USD",
            cartTotalCents: 0,
          },
          new Date(LAUNCH),
        )?.bar.id === "B",
    ),
  );
  const audience = ids.map(gid);
  const { heldOut: heldOutIds } = holdoutGroups(audience, {
    percent: b.holdout_percent,
    start: b.holdout_start,
  });
  const heldOutSet = new Set(heldOutIds);
  const heldOut = audience.map((id) => heldOutSet.has(id));
  const summaries = (orders: OrderRow[], days: number) => {
    const outcomes = windowOutcomes(audience, orders, windowOf(days));
    return {
      shown: summarizeGroup(outcomes.filter((_, index) => !heldOut[index])),
      heldOut: summarizeGroup(outcomes.filter((_, index) => heldOut[index])),
    };
  };
  let earlyCall: Call | null = null;
  let naiveEarlyCall = false;
  const orders = runTraffic(
    store,
    trafficOptions(seed, relativeLift, (id) => shownB.has(id)),
    plan.days,
    Math.round(shop.customers * shop.opportunitiesPerCustomerDay),
    (day, sofar) => {
      if (!dailyLooks || day === plan.days) return;
      const look = summaries(sofar, day);
      const { call } = liftVerdict(look.shown, look.heldOut, { elapsedDays: day, plan });
      if (call !== "too-early") earlyCall ??= call;
      const interval = liftReport(look.shown, look.heldOut).conversion.interval!;
      if (interval.low > 0 || interval.high < 0) naiveEarlyCall = true;
    },
  );
  const groups = summaries(orders, plan.days);
  const exact = trueEffect(shop, relativeLift, plan.days);
  const counted = orders.filter((order) => order.customerId !== null);
  const orderValue =
    counted.reduce((sum, order) => sum + Number(order.totalCents), 0) / counted.length;
  return {
    seed,
    shown: groups.shown.customers,
    heldOut: groups.heldOut.customers,
    report: liftReport(groups.shown, groups.heldOut),
    truth: {
      conversion: exact.conversion,
      ordersPerCustomer: exact.ordersPerCustomer,
      // Order values do not depend on who orders: the expected orders times the mean order value.
      revenuePerCustomerCents: exact.ordersPerCustomer * orderValue,
    },
    call: liftVerdict(groups.shown, groups.heldOut, { elapsedDays: plan.days, plan }).call,
    earlyCall,
    naiveEarlyCall,
  };
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
