// What the Storefront admin pages show and do: bars with their validation, the persona preview,
// upsell overrides, and the republish that follows every change.
import {
  barFromForm,
  editorLocales,
  formChoiceErrors,
  localeName,
  type BarFormFields,
  type ShopLocale,
} from "~/domain/storefront/bar-form";
import {
  DEFAULT_BAR,
  validateBar,
  withPlacedHoldout,
  type BarDefinition,
  type StoredBar,
} from "~/domain/storefront/bars";
import { measuredWindow } from "~/domain/measurement/audience";
import { roomForHoldout } from "~/domain/measurement/holdout";
import { scheduleStatus } from "~/domain/storefront/schedule";
import { previewPersonas } from "~/domain/storefront/personas";
import { chooseBar } from "~/domain/storefront/selection";
import { validateOverrides } from "~/domain/upsell/overrides";
import { deleteBar, listBars, saveBar } from "~/models/bars.server";
import { lastPublishedAt } from "~/models/published-metafields.server";
import {
  loadOverrides,
  popularProducts,
  productTitles,
  recommendationsFor,
  saveOverride,
  searchProducts,
} from "~/models/recommendations.server";
import { listSegments } from "~/models/segments.server";
import {
  getShopSettings,
  resumeStorefrontPublishing,
  storefrontPublishingPaused,
} from "~/models/shop.server";
import { PUBLISHED_LOCALES } from "~/shopify/operations/storefront";
import { recomputeReplenishableProducts } from "./buy-again.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { gatewayForShop } from "~/shops/access.server";
import { logger } from "~/logger.server";
import {
  buildStorefrontPublication,
  publishStorefront,
  type PublishReport,
} from "./publish.server";
import { recomputeRecommendations } from "./recommendations.server";

function formatMoney(cents: number, currency: string, locale: string) {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export async function storefrontOverview(shop: string, now: Date) {
  const [bars, settings, publication, publishedAt, popular, overrides, paused] = await Promise.all([
    listBars(shop),
    getShopSettings(shop),
    buildStorefrontPublication(shop),
    lastPublishedAt(shop),
    popularProducts(shop, 15),
    loadOverrides(shop),
    storefrontPublishingPaused(shop),
  ]);
  const names = new Map(bars.map((bar) => [bar.id, bar.name]));
  const previews = previewPersonas(publication.bars, settings.tagPrefix).map(
    ({ id, label, visitor }) => {
      const chosen = chooseBar(publication.bars, visitor, now);
      const text =
        chosen?.kind === "free_shipping"
          ? chosen.text.replace(
              "{amount}",
              formatMoney(
                Math.max(chosen.remainingCents, 0),
                chosen.threshold.currency,
                visitor.locale,
              ),
            )
          : (chosen?.text ?? null);
      return {
        id,
        label,
        barName: chosen ? (names.get(chosen.bar.id) ?? chosen.bar.id) : null,
        text,
      };
    },
  );
  const pickIds = [...new Set(popular.flatMap((product) => publication.upsells[product.id] ?? []))];
  const titles = await productTitles(shop, pickIds);
  return {
    publishingPaused: paused,
    tagPrefix: settings.tagPrefix,
    bars: bars.map((bar) => ({
      id: bar.id,
      name: bar.name,
      enabled: bar.enabled,
      priority: bar.priority,
      kind: bar.config.kind,
      segments: bar.config.audience.segments,
      countries: bar.config.audience.countries,
      visitors: bar.config.audience.visitors,
      startsAt: bar.config.schedule.startsAt,
      endsAt: bar.config.schedule.endsAt,
      status: scheduleStatus({ enabled: bar.enabled, schedule: bar.config.schedule }, now),
      results: hasResults(bar, now),
    })),
    previews,
    upsells: popular.map((product) => ({
      id: product.id,
      title: product.title,
      orderLines: product.lines,
      picks: (publication.upsells[product.id] ?? []).map((id) => titles.get(id)?.title ?? id),
      overridden: overrides.has(product.id),
    })),
    publishedAt: publishedAt?.toISOString() ?? null,
  };
}

/**
 * Whether a bar's results page has something to show: a holdout, and a window with it already
 * open or still to come (a switched-off bar may have been live until now, the page says).
 */
function hasResults(bar: StoredBar, now: Date) {
  const status = scheduleStatus({ enabled: bar.enabled, schedule: bar.config.schedule }, now);
  return (
    bar.config.holdout.percent > 0 &&
    (status === "scheduled" ||
      measuredWindow({ ...bar.config, enabled: true, updatedAt: now }, now) !== null)
  );
}

export type PublishOutcome =
  { published: true; report: PublishReport } | { published: false; error: string; paused?: true };

/**
 * Republishes after a change; a failure is reported, the change itself stays saved. A merchant's
 * change or publish resumes publishing paused by "remove everything"; a background refresh
 * (`background`) leaves a paused storefront alone.
 */
export async function republish(
  shop: string,
  now = new Date(),
  { background = false } = {},
): Promise<PublishOutcome> {
  if (!background) await resumeStorefrontPublishing(shop);
  else if (await storefrontPublishingPaused(shop))
    return { published: false, paused: true, error: "Storefront publishing is paused." };
  try {
    return {
      published: true,
      report: await publishStorefront(await gatewayForShop(shop), shop, now),
    };
  } catch (error) {
    return { published: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function recomputeAndPublish(
  shop: string,
  now = new Date(),
  { background = false } = {},
) {
  const run = await recomputeRecommendations(shop, now);
  await recomputeReplenishableProducts(shop, now);
  return { run, outcome: await republish(shop, now, { background }) };
}

/** The shop as the bar editor needs it: its time zone and the languages shoppers see. */
export interface EditorShop {
  timeZone: string;
  locales: ShopLocale[];
  /** Why the languages could not be read (the scope not granted yet, Shopify down), if so. */
  localesProblem: string | null;
}

/**
 * The shop's time zone (its profile) and published languages (read from Shopify). Without the
 * languages (a shop that has not granted `read_locales` yet, Shopify unreachable) the editor still
 * works with the languages the bar already has, and says so.
 */
export async function editorShop(shop: string): Promise<EditorShop> {
  const profile = shopProfile(shop);
  try {
    const data = await (
      await gatewayForShop(shop)
    ).request<{ shopLocales: ShopLocale[] }>(PUBLISHED_LOCALES);
    return { timeZone: (await profile).timeZone, locales: data.shopLocales, localesProblem: null };
  } catch (error) {
    logger.warn({ err: error, shop }, "could not read the shop's languages");
    return {
      timeZone: (await profile).timeZone,
      locales: [],
      localesProblem: /read_locales|ACCESS_DENIED/.test(String(error))
        ? "Persegment may not read your store's languages yet (the read_locales permission)."
        : "Shopify did not answer.",
    };
  }
}

export async function barEditor(shop: string, id: string | null, now = new Date()) {
  const [bars, segments, shopInfo] = await Promise.all([
    listBars(shop),
    listSegments(shop),
    editorShop(shop),
  ]);
  const stored = bars.find((bar) => bar.id === id) ?? null;
  const bar: BarDefinition | null = stored
    ? { ...stored.config, name: stored.name, enabled: stored.enabled, priority: stored.priority }
    : null;
  // Unread (no permission yet, Shopify down): the bar's own languages stand for the shop's.
  const shopLocales = shopInfo.localesProblem
    ? [bar?.defaultLocale ?? DEFAULT_BAR.defaultLocale, ...Object.keys(bar?.messages ?? {})].map(
        (locale, index) => ({ locale, name: localeName(locale), primary: index === 0 }),
      )
    : shopInfo.locales;
  const primary = shopLocales.find((locale) => locale.primary)?.locale;
  // A new bar's fallback language is the shop's primary one, its holdout what the others leave.
  const shown = bar ?? {
    ...DEFAULT_BAR,
    defaultLocale: primary ?? DEFAULT_BAR.defaultLocale,
    messages: { [primary ?? DEFAULT_BAR.defaultLocale]: "" },
    holdout: {
      percent: Math.min(
        DEFAULT_BAR.holdout.percent,
        roomForHoldout(bars.map((other) => other.config.holdout)),
      ),
      start: null,
      since: null,
    },
  };
  return {
    bar: shown,
    exists: bar !== null,
    status: scheduleStatus(shown, now),
    locales: editorLocales(shown, shopLocales),
    timeZone: shopInfo.timeZone,
    localesProblem: shopInfo.localesProblem,
    segments: segments.map((segment) => ({
      handle: segment.handle,
      name: segment.name,
      tagEnabled: segment.tagEnabled,
    })),
  };
}

export type BarSaveResult =
  | { saved: false; errors: Record<string, string> }
  | { saved: true; id: string; outcome: PublishOutcome };

export async function saveBarFromForm(
  shop: string,
  id: string | null,
  fields: BarFormFields,
  segmentHandles: string[],
  timeZone = "UTC",
  now = new Date(),
): Promise<BarSaveResult> {
  const [segments, bars] = await Promise.all([listSegments(shop), listBars(shop)]);
  const valid = validateBar(barFromForm(fields, segmentHandles, timeZone), segments);
  const result = valid.ok ? withPlacedHoldout(valid.value, id, bars, now) : valid;
  const choices = formChoiceErrors(fields, segmentHandles);
  if (!result.ok || Object.keys(choices).length)
    return { saved: false, errors: { ...(result.ok ? {} : result.errors), ...choices } };
  const stored = await saveBar(shop, result.value, id ?? undefined);
  if (!stored) return { saved: false, errors: { name: "This bar no longer exists" } };
  return { saved: true, id: stored.id, outcome: await republish(shop) };
}

export async function deleteBarAndPublish(shop: string, id: string) {
  const deleted = await deleteBar(shop, id);
  return { deleted, outcome: deleted ? await republish(shop) : null };
}

export async function upsellEditor(shop: string, productId: string) {
  const [computed, overrides, publication] = await Promise.all([
    recommendationsFor(shop, productId),
    loadOverrides(shop),
    buildStorefrontPublication(shop),
  ]);
  const override = overrides.get(productId) ?? { pinned: [], excluded: [] };
  const ids = [
    productId,
    ...computed.map((pick) => pick.recommendedId),
    ...override.pinned,
    ...override.excluded,
  ];
  const titles = await productTitles(shop, ids);
  const describe = (id: string) => ({
    id,
    title: titles.get(id)?.title ?? id,
    status: titles.get(id)?.status ?? "UNKNOWN",
  });
  const product = titles.get(productId);
  if (!product) return null;
  return {
    product: describe(productId),
    computed: computed.map((pick) => ({
      ...describe(pick.recommendedId),
      support: pick.support,
      confidence: pick.score,
      rank: pick.rank,
      source: pick.source,
    })),
    pinned: override.pinned.map(describe),
    excluded: override.excluded,
    published: (publication.upsells[productId] ?? []).map(describe),
  };
}

/** Products to pin, from the synced catalogue, for the picker's search (empty query: none). */
export async function productsToPin(shop: string, query: string) {
  const term = query.trim().slice(0, 100);
  if (!term) return [];
  return searchProducts(shop, term, 10);
}

export async function saveOverridesAndPublish(
  shop: string,
  productId: string,
  pinned: string[],
  excluded: string[],
) {
  const products = await productTitles(shop, [productId, ...pinned, ...excluded]);
  if (!products.has(productId))
    return { saved: false as const, errors: { product: `Unknown product ${productId}` } };
  const unknown = [...pinned, ...excluded].filter((id) => !products.has(id));
  if (unknown.length)
    return {
      saved: false as const,
      errors: {
        pinned: `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not a product of your store (or not synced yet): pick products from the search.`,
      },
    };
  const result = validateOverrides(productId, { pinned, excluded }, products);
  if (!result.ok) return { saved: false as const, errors: result.errors };
  await saveOverride(shop, productId, result.value);
  return { saved: true as const, outcome: await republish(shop) };
}
