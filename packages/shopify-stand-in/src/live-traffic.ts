// Live traffic: orders keep arriving at a chosen rate (with a few new customers, cancellations
// and customer edits mixed in), each announced by webhook like a real shop's activity. The same
// traffic can be driven step by step (trafficSource), with a known effect for simulations: the
// customers an `effect` applies to order more (or less) often by a set relative amount.
import type { OrderRecord } from "./model";
import { Random } from "./prng";
import type { Store } from "./store";

/** Customers it applies to order with their chance multiplied by 1 + relativeLift. */
export interface TrafficEffect {
  applies(customerId: number): boolean;
  /** 0.1: 10 % more orders from them; −0.2: 20 % fewer. Above −1. */
  relativeLift: number;
}

export interface TrafficOptions {
  seed?: number;
  /** Share of orders placed by a brand-new customer (default 0.15). */
  newCustomerShare?: number;
  /** Share of orders without a customer (default 0.05). */
  guestShare?: number;
  /** Chance per tick of cancelling a recent order (default 0.02). */
  cancelShare?: number;
  effect?: TrafficEffect;
}

export interface LiveTrafficOptions extends TrafficOptions {
  /** Order opportunities per second (with an effect, slightly more or fewer orders). */
  ordersPerSecond: number;
}

export interface LiveTraffic {
  stop(): void;
  stats(): { orders: number; customers: number; cancellations: number };
}

const CITIES = [
  { countryCode: "US", provinceCode: "NY", city: "New York" },
  { countryCode: "US", provinceCode: "CA", city: "San Francisco" },
  { countryCode: "CA", provinceCode: "ON", city: "Toronto" },
  { countryCode: "GB", provinceCode: null, city: "London" },
  { countryCode: "DE", provinceCode: null, city: "Berlin" },
  { countryCode: "AU", provinceCode: "NSW", city: "Sydney" },
];

/**
 * Chance that a pick among `poolSize` existing customers lands on the one at `index` (in the
 * order they were created): picks go to floor(u^1.5 · poolSize) for uniform u, so earlier
 * customers, the shop's regulars, order more often.
 */
export function customerPickShare(index: number, poolSize: number): number {
  return ((index + 1) / poolSize) ** (2 / 3) - (index / poolSize) ** (2 / 3);
}

/**
 * With an effect, each opportunity draws `weightCap` candidates on average and keeps a candidate
 * with its weight / weightCap (1 + relativeLift for the customers the effect applies to, 1 for
 * everyone else): the others' chances stay as without the effect, the affected ones' change by
 * the relative lift.
 */
const weightCap = (effect: TrafficEffect | undefined) =>
  Math.max(1, 1 + (effect?.relativeLift ?? 0));

/**
 * For simulations that need the true effect: one opportunity's chance of giving the existing
 * customer at `index` of `poolSize` no order, and the number of orders it gives them on average.
 * Exact for traffic without new customers (the pool does not grow).
 */
export function opportunityOdds(
  options: TrafficOptions,
  index: number,
  poolSize: number,
  affected: boolean,
): { none: number; expected: number } {
  const cap = weightCap(options.effect);
  const weight = affected ? 1 + (options.effect?.relativeLift ?? 0) : 1;
  const perCandidate =
    (1 - (options.guestShare ?? 0.05)) *
    (1 - (options.newCustomerShare ?? 0.15)) *
    customerPickShare(index, poolSize) *
    (weight / cap);
  const whole = Math.floor(cap);
  const extra = cap - whole;
  return {
    none: (1 - perCandidate) ** whole * (1 - extra * perCandidate),
    expected: cap * perCandidate,
  };
}

export interface TrafficSource {
  /** One order opportunity: the orders it placed (none, one, or with an effect sometimes two). */
  placeOrders(): OrderRecord[];
  /** Cancels a recent order with the cancel share's chance (the live traffic does it per tick). */
  maybeCancel(): void;
  stats(): { orders: number; customers: number; cancellations: number };
}

export function trafficSource(store: Store, options: TrafficOptions = {}): TrafficSource {
  const random = new Random(options.seed ?? 7);
  const counts = { orders: 0, customers: 0, cancellations: 0 };
  const variants = [...store.variants.values()].filter(
    (variant) => store.products.get(variant.productId)?.status === "ACTIVE",
  );
  if (variants.length === 0) throw new Error("Live traffic needs at least one active product");
  const { effect } = options;
  if (effect && !(effect.relativeLift > -1))
    throw new Error(`an effect's relative lift must be above −1, got ${effect.relativeLift}`);
  const cap = weightCap(effect);
  const customerIds = [...store.customers.keys()];
  const recentOrders: number[] = [];

  /** An effect keeps a candidate with its weight's share of the cap (guests, newcomers: 1). */
  const kept = (customerId: number | null) => {
    if (!effect) return true;
    const weight = customerId !== null && effect.applies(customerId) ? 1 + effect.relativeLift : 1;
    return random.chance(weight / cap);
  };

  const candidate = (): OrderRecord | null => {
    let customerId: number | null = null;
    if (random.chance(options.guestShare ?? 0.05)) {
      if (!kept(null)) return null;
    } else if (customerIds.length === 0 || random.chance(options.newCustomerShare ?? 0.15)) {
      if (!kept(null)) return null;
      const customer = store.createCustomer({
        firstName: "Live",
        lastName: `Shopper ${counts.customers + 1}`,
        address: random.pick(CITIES),
        marketingState: random.chance(0.4) ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      });
      customerIds.push(customer.id);
      counts.customers++;
      customerId = customer.id;
    } else {
      customerId = customerIds[Math.floor(Math.pow(random.next(), 1.5) * customerIds.length)];
      if (!kept(customerId)) return null;
    }
    if (customerId !== null && !store.customers.has(customerId)) customerId = null;
    const lines = Array.from({ length: random.int(1, 3) }, () => ({
      variantId: variants[Math.floor(Math.pow(random.next(), 2) * variants.length)].id,
      quantity: random.chance(0.85) ? 1 : 2,
    }));
    const unique = lines.filter(
      (line, index) => lines.findIndex((l) => l.variantId === line.variantId) === index,
    );
    const useCode = random.chance(0.15);
    const order = store.createOrder({
      customerId,
      lines: unique,
      discountCode: useCode ? "LIVE10" : null,
      discountPercent: 10,
      shippingCents: random.chance(0.5) ? 599 : 0,
      sourceName: random.chance(0.9) ? "web" : "pos",
    });
    counts.orders++;
    recentOrders.push(order.id);
    if (recentOrders.length > 200) recentOrders.shift();
    return order;
  };

  return {
    placeOrders() {
      const candidates = Math.floor(cap) + (cap % 1 > 0 && random.chance(cap % 1) ? 1 : 0);
      const placed: OrderRecord[] = [];
      for (let index = 0; index < candidates; index++) {
        const order = candidate();
        if (order) placed.push(order);
      }
      return placed;
    },
    maybeCancel() {
      if (recentOrders.length <= 5 || !random.chance(options.cancelShare ?? 0.02)) return;
      const id = recentOrders.splice(random.int(0, recentOrders.length - 1), 1)[0];
      const order = store.orders.get(id);
      if (order && order.cancelledAt === null) {
        store.cancelOrder(id, "customer");
        counts.cancellations++;
      }
    },
    stats: () => ({ ...counts }),
  };
}

export function startLiveTraffic(store: Store, options: LiveTrafficOptions): LiveTraffic {
  if (!(options.ordersPerSecond > 0)) throw new Error("ordersPerSecond must be a positive number");
  const source = trafficSource(store, options);
  const tickMs = Math.max(20, Math.min(1000, 1000 / options.ordersPerSecond));
  const perTick = (options.ordersPerSecond * tickMs) / 1000;
  let carry = 0;
  const timer = setInterval(() => {
    carry += perTick;
    while (carry >= 1) {
      carry--;
      source.placeOrders();
    }
    source.maybeCancel();
  }, tickMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer), stats: source.stats };
}
