// Generated purchase histories for the prediction tests and benchmark: customers who behave as
// BG/NBD and Gamma-Gamma assume (seeded, so every run sees the same store), and a store of
// clockwork buyers the models describe badly.
import type { BgNbdParams, GammaGammaParams, Purchase } from "~/domain/predictions";

const DAY_MS = 86_400_000;

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, rate) by Marsaglia and Tsang's method (boosted for shape < 1). */
function gamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Standard normal by Box–Muller.
      x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export interface GeneratedStoreOptions {
  customers: number;
  /** BG/NBD parameters, time in days. */
  bgNbd: BgNbdParams;
  /** Gamma-Gamma parameters of the purchase values. */
  gammaGamma: GammaGammaParams;
  /** First purchases fall uniformly in [start, start + acquisitionDays). */
  start: Date;
  acquisitionDays: number;
  /** Purchases are generated up to this instant. */
  end: Date;
  seed?: number;
}

/** Customers who buy as a Poisson process until they drop out (after a repeat purchase, chance p). */
export function generateBgNbdStore(options: GeneratedStoreOptions) {
  const random = seededRandom(options.seed ?? 1);
  const { r, alpha, a, b } = options.bgNbd;
  const { p, q, v } = options.gammaGamma;
  const endDay = (options.end.getTime() - options.start.getTime()) / DAY_MS;
  const store = new Map<string, Purchase[]>();
  for (let i = 0; i < options.customers; i++) {
    const rate = gamma(random, r, alpha);
    const x1 = gamma(random, a, 1);
    const dropout = x1 / (x1 + gamma(random, b, 1));
    const valueRate = gamma(random, q, v);
    const purchases: Purchase[] = [];
    let day = random() * options.acquisitionDays;
    // As in the model, dropout can follow a repeat purchase, not the first one.
    while (day <= endDay) {
      if (purchases.length >= 2 && random() < dropout) break;
      const at = new Date(options.start.getTime() + day * DAY_MS);
      purchases.push({ at, value: Math.round(gamma(random, p, valueRate) * 100) / 100 });
      day += -Math.log(1 - random()) / rate;
    }
    store.set(`c${i}`, purchases);
  }
  return store;
}

/**
 * Clockwork buyers: each buys every k days exactly (k from 7 to 120), never stops, and spends the
 * same each time. Continuing each customer's own rate is nearly exact here; BG/NBD, which pools
 * customers and reads long gaps as possible dropout, is not.
 */
export function generateClockworkStore(customers: number, start: Date, end: Date, seed = 7) {
  const random = seededRandom(seed);
  const endDay = (end.getTime() - start.getTime()) / DAY_MS;
  const store = new Map<string, Purchase[]>();
  for (let i = 0; i < customers; i++) {
    const every = 7 + Math.floor(random() * 114);
    const purchases: Purchase[] = [];
    for (let day = Math.floor(random() * every); day <= endDay; day += every)
      purchases.push({ at: new Date(start.getTime() + day * DAY_MS + 43_200_000), value: 50 });
    store.set(`c${i}`, purchases);
  }
  return store;
}
