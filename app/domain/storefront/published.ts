import { createHash } from "node:crypto";
import { onArc, HOLDOUT_SLOTS, type Holdout } from "../measurement/holdout";
import type { StoredBar } from "./bars";
import { lastBoundary } from "./schedule";

/**
 * The JSON the theme app extension reads (PRODUCT.md §6). Liquid walks these lists in order, so
 * everything is precomputed here: bars sorted best-first, segment handles turned into the customer
 * tags the segments write, times as Unix seconds, every key always present (Liquid has no
 * "missing key" handling worth relying on).
 */

/** App-data metafield on the app installation: `app.metafields.persegment.bars`. */
export const BARS_METAFIELD = { namespace: "persegment", key: "bars", type: "json" } as const;

/** App-owned product metafield: `product.metafields["$app:persegment"].upsells`. */
export const UPSELLS_METAFIELD = {
  namespace: "$app:persegment",
  key: "upsells",
  type: "list.product_reference",
} as const;

/**
 * App-owned product metafield the buy-again block reads: the product's repurchase interval in
 * days (`product.metafields["$app:persegment"].repurchase_days`), only on replenishable products.
 */
export const REPURCHASE_DAYS_METAFIELD = {
  namespace: "$app:persegment",
  key: "repurchase_days",
  type: "number_integer",
} as const;

export interface PublishedMessage {
  locale: string;
  text: string;
}

export interface PublishedThreshold {
  /** Empty: every country without a threshold of its own. */
  countries: string[];
  currency: string;
  /** Minor units of `currency`, compared with `cart.total_price`. */
  amount: number;
}

export interface PublishedBar {
  id: string;
  kind: "message" | "free_shipping";
  priority: number;
  /** Default locale first: Liquid falls back to the first entry. */
  messages: PublishedMessage[];
  reached: PublishedMessage[];
  link: string;
  background: string;
  color: string;
  /** Customer tags; the shopper needs one of them. Empty: no tag needed. */
  tags: string[];
  countries: string[];
  visitors: "everyone" | "logged_in" | "guest";
  /** Unix seconds; 0 means open-ended. */
  starts_at: number;
  ends_at: number;
  /** Country-specific thresholds first, the fallback (no countries) last. */
  thresholds: PublishedThreshold[];
  /**
   * Logged-in customers whose holdout slot is on the arc of `holdout_percent` slots from
   * `holdout_start` do not see this bar (measurement/holdout.ts); 0 and 0 when it has none.
   */
  holdout_percent: number;
  holdout_start: number;
}

export interface PublishedBars {
  version: 1;
  bars: PublishedBar[];
  /**
   * The latest start or end of a bar that had passed when this was published (Unix seconds, 0:
   * none). Liquid does not read it: it changes the metafield at each boundary, so the republish
   * then writes it and Shopify drops the pages it cached with the earlier choice.
   */
  boundary: number;
}

export function publishedBars(bars: StoredBar[], tagPrefix: string, now: Date): PublishedBars {
  const live = bars
    .filter((bar) => bar.enabled)
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.id.localeCompare(b.id),
    );
  const holdouts = publishedHoldouts(bars);
  const published = live.map((bar) => publishedBar(bar, tagPrefix, holdouts.get(bar.id)!));
  return { version: 1, bars: published, boundary: lastBoundary(published, now) };
}

/**
 * Each bar's holdout as published. Saving places holdouts apart (withPlacedHoldout); should two
 * saves have raced, the later-created bar's overlapping holdout is published as none, so a
 * customer is never held out of two bars. Switched-off bars keep their place.
 */
export function publishedHoldouts(bars: StoredBar[]): Map<string, Holdout> {
  const byAge = [...bars].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
  const taken = Array.from({ length: HOLDOUT_SLOTS }, () => false);
  const result = new Map<string, Holdout>();
  for (const bar of byAge) {
    const arc = bar.config.holdout;
    const slots = taken.map((_, slot) => slot).filter((slot) => onArc(slot, arc));
    const free = slots.length > 0 && slots.every((slot) => !taken[slot]);
    for (const slot of free ? slots : []) taken[slot] = true;
    result.set(bar.id, free ? arc : { percent: 0, start: null });
  }
  return result;
}

function publishedBar(
  { id, priority, config }: StoredBar,
  tagPrefix: string,
  holdout: Holdout,
): PublishedBar {
  const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);
  const messageList = (byLocale: Record<string, string>) =>
    Object.entries(byLocale)
      .sort(([a], [b]) =>
        a === config.defaultLocale ? -1 : b === config.defaultLocale ? 1 : a.localeCompare(b),
      )
      .map(([locale, text]) => ({ locale, text }));
  return {
    id,
    kind: config.kind === "free-shipping" ? "free_shipping" : "message",
    priority,
    messages: messageList(config.messages),
    reached: messageList(config.reachedMessages),
    link: config.link,
    background: config.colors.background.toLowerCase(),
    color: config.colors.text.toLowerCase(),
    tags: config.audience.segments.map((handle) => `${tagPrefix}${handle}`),
    countries: config.audience.countries,
    visitors:
      config.audience.visitors === "logged-in"
        ? "logged_in"
        : config.audience.visitors === "guests"
          ? "guest"
          : "everyone",
    starts_at: seconds(config.schedule.startsAt),
    ends_at: seconds(config.schedule.endsAt),
    thresholds: [...config.thresholds]
      .sort((a, b) => Number(a.countries.length === 0) - Number(b.countries.length === 0))
      .map((entry) => ({
        countries: entry.countries,
        currency: entry.currency,
        amount: entry.amountCents,
      })),
    holdout_percent: holdout.percent,
    holdout_start: holdout.start ?? 0,
  };
}

/** Digest of a metafield's type and value; publishing skips a write when it is unchanged. */
export function metafieldDigest(type: string, value: string): string {
  return createHash("sha256").update(type).update("\0").update(value).digest("hex");
}
