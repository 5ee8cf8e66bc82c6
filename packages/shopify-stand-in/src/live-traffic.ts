// Live traffic: orders keep arriving at a chosen rate (with a few new customers, cancellations
// and customer edits mixed in), each announced by webhook like a real shop's activity.
import { Random } from "./prng";
import type { Store } from "./store";

export interface LiveTrafficOptions {
  ordersPerSecond: number;
  seed?: number;
  /** Share of orders placed by a brand-new customer (default 0.15). */
  newCustomerShare?: number;
  /** Share of orders without a customer (default 0.05). */
  guestShare?: number;
  /** Chance per tick of cancelling a recent order (default 0.02). */
  cancelShare?: number;
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

export function startLiveTraffic(store: Store, options: LiveTrafficOptions): LiveTraffic {
  if (!(options.ordersPerSecond > 0)) throw new Error("ordersPerSecond must be a positive number");
  const random = new Random(options.seed ?? 7);
  const counts = { orders: 0, customers: 0, cancellations: 0 };
  const variants = [...store.variants.values()].filter(
    (variant) => store.products.get(variant.productId)?.status === "ACTIVE",
  );
  if (variants.length === 0) throw new Error("Live traffic needs at least one active product");
  const customerIds = [...store.customers.keys()];
  const recentOrders: number[] = [];
  const tickMs = Math.max(20, Math.min(1000, 1000 / options.ordersPerSecond));
  const perTick = (options.ordersPerSecond * tickMs) / 1000;
  let carry = 0;

  const placeOrder = () => {
    let customerId: number | null = null;
    if (random.chance(options.guestShare ?? 0.05)) customerId = null;
    else if (customerIds.length === 0 || random.chance(options.newCustomerShare ?? 0.15)) {
      const customer = store.createCustomer({
        firstName: "Live",
        lastName: `Shopper ${counts.customers + 1}`,
        address: random.pick(CITIES),
        marketingState: random.chance(0.4) ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      });
      customerIds.push(customer.id);
      counts.customers++;
      customerId = customer.id;
    } else customerId = customerIds[Math.floor(Math.pow(random.next(), 1.5) * customerIds.length)];
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
  };

  const timer = setInterval(() => {
    carry += perTick;
    while (carry >= 1) {
      carry--;
      placeOrder();
    }
    if (recentOrders.length > 5 && random.chance(options.cancelShare ?? 0.02)) {
      const id = recentOrders.splice(random.int(0, recentOrders.length - 1), 1)[0];
      const order = store.orders.get(id);
      if (order && order.cancelledAt === null) {
        store.cancelOrder(id, "customer");
        counts.cancellations++;
      }
    }
  }, tickMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer), stats: () => ({ ...counts }) };
}
