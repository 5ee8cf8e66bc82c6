// Must-show 1 of issue 19 (PRODUCT.md §8): the extension's real Liquid, rendered by the preview's
// engine, holds out exactly the customers the app's function says, for 10,000 customer ids and
// several bars; each bar holds out its share (±1 point); nobody is held out of every bar.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_BAR,
  barConfig,
  validateBar,
  withPlacedHoldout,
  type StoredBar,
} from "~/domain/storefront/bars";
import { isHeldOut } from "~/domain/measurement/holdout-slot";
import { publishedBars, type PublishedBar } from "~/domain/storefront/published";
import { chooseBar } from "~/domain/storefront/selection";
import {
  topBarRenderer,
  type Persona,
  type PublishedStorefront,
} from "@persegment/storefront-preview";

const NOW = new Date("2026-11-23T10:00:00Z");
const CUSTOMERS = 10_000;
const SHARES = [10, 25, 5, 10, 0];

/** Shopify-like customer ids: 13 digits, a shop's ids rising with gaps (other shops' customers). */
function customerIds(count: number) {
  let seed = 19;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ids: number[] = [];
  let id = 7_712_345_678_901;
  for (let index = 0; index < count; index++) {
    // Half the shop signs up in runs (consecutive ids), half between other shops' customers.
    id += index % 2 === 0 ? 1 : 1 + Math.floor(random() * 5_000);
    ids.push(id);
  }
  return ids;
}

function placedBars(): StoredBar[] {
  const stored: StoredBar[] = [];
  SHARES.forEach((percent, index) => {
    const valid = validateBar(
      {
        ...DEFAULT_BAR,
        name: `Bar ${index}`,
        priority: 100 - index,
        messages: { en: `Bar ${index}` },
        holdout: { percent, start: null, since: null },
      },
      [],
    );
    const placed = valid.ok ? withPlacedHoldout(valid.value, null, stored, NOW) : valid;
    if (!placed.ok) throw new Error(JSON.stringify(placed.errors));
    stored.push({
      id: `b${index}`,
      name: placed.value.name,
      enabled: true,
      priority: placed.value.priority,
      config: barConfig(placed.value),
      createdAt: new Date(Date.UTC(2026, 0, 1 + index)),
    });
  });
  return stored;
}

const customer = (customerId: number | null): Persona => ({
  id: "customer",
  label: "Customer",
  customerTags: customerId === null ? null : [],
  customerId: customerId ?? undefined,
  country: "US",
  locale: "en",
  currency: "USD",
  page: "product",
  initialCart: () => [],
});

const VISITOR = {
  customerTags: [],
  country: "US",
  locale: "en",
  cartCurrency: "USD",
  cartTotalCents: 0,
};

const shownBar = (html: string) => /data-bar-id="([^"]+)"/.exec(html)?.[1] ?? null;

describe("holdouts in the storefront's Liquid", () => {
  const all = publishedBars(placedBars(), "seg-", NOW);
  const storefront = (bars: PublishedBar[]): PublishedStorefront => ({
    bars: { ...all, bars },
    upsells: {},
    products: [],
  });
  const ids = customerIds(CUSTOMERS);

  it("places the holdouts apart", () => {
    expect(all.bars.map((bar) => [bar.holdout_percent, bar.holdout_start])).toEqual([
      [10, 0],
      [25, 10],
      [5, 35],
      [10, 40],
      [0, 0],
    ]);
  });

  // Each bar in turn comes first: whether a customer is shown it is then the Liquid's decision
  // for that (customer, bar), and a customer held out of it shows which bar they get instead.
  it("agrees with the app for every customer and bar, holds out each bar's share, and nobody from every bar", () => {
    const heldOutOf = new Map<number, string[]>(ids.map((id) => [id, []]));
    const disagreements: string[] = [];
    const measured = all.bars.filter((bar) => bar.holdout_percent > 0);
    for (const bar of measured) {
      const first = all.bars.indexOf(bar);
      const order = [...all.bars.slice(first), ...all.bars.slice(0, first)];
      const render = topBarRenderer(storefront(order), NOW);
      const published = { ...all, bars: order };
      let heldOut = 0;
      for (const id of ids) {
        const liquid = shownBar(render(customer(id)));
        const app = chooseBar(published, { ...VISITOR, customerId: id }, NOW)?.bar.id ?? null;
        const appHeldOut = isHeldOut(id, {
          percent: bar.holdout_percent,
          start: bar.holdout_start,
        });
        if (liquid !== app || (liquid !== bar.id) !== appHeldOut)
          disagreements.push(`customer ${id}, ${bar.id} first: Liquid shows ${liquid}, app ${app}`);
        if (liquid !== bar.id) {
          heldOut++;
          heldOutOf.get(id)!.push(bar.id);
        }
      }
      expect(
        Math.abs((100 * heldOut) / CUSTOMERS - bar.holdout_percent),
        bar.id,
      ).toBeLessThanOrEqual(1);
    }
    expect(disagreements).toEqual([]);
    // A customer is held out of one bar at most: never of every bar, and the rest see them all.
    const counts = [...heldOutOf.values()].map((bars) => bars.length);
    expect(Math.max(...counts)).toBe(1);
    const inNone = counts.filter((count) => count === 0).length / CUSTOMERS;
    expect(Math.abs(inNone - 0.5)).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it("never holds out a guest", () => {
    const render = topBarRenderer(storefront(all.bars), NOW);
    expect(shownBar(render(customer(null)))).toBe("b0");
  });
});
