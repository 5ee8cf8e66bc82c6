import type { PublishedBars } from "./published";
import type { Visitor } from "./selection";

/**
 * Shoppers the admin preview (and the storefront preview in the demo) shows the bars for. The
 * "near free shipping" cart sits just under the first US threshold, so that bar is visible.
 */
export interface PreviewPersona {
  id: string;
  label: string;
  visitor: Visitor;
}

export function previewPersonas(published: PublishedBars, tagPrefix: string): PreviewPersona[] {
  const usThreshold = published.bars
    .flatMap((bar) => (bar.kind === "free_shipping" ? bar.thresholds : []))
    .find(
      (entry) =>
        entry.currency === "USD" &&
        (entry.countries.length === 0 || entry.countries.includes("US")),
    );
  const guest = {
    customerTags: null,
    country: "US",
    locale: "en",
    cartCurrency: "USD",
    cartTotalCents: 0,
  };
  return [
    { id: "guest-us", label: "Guest in the US", visitor: guest },
    {
      id: "guest-de",
      label: "Guest in Germany",
      visitor: { ...guest, country: "DE", locale: "de", cartCurrency: "EUR" },
    },
    {
      id: "champion",
      label: "Logged-in champion",
      visitor: { ...guest, customerTags: [`${tagPrefix}champions`, `${tagPrefix}repeat`] },
    },
    {
      id: "lapsed",
      label: "Logged-in lapsed customer",
      visitor: { ...guest, customerTags: [`${tagPrefix}lapsed-90`, `${tagPrefix}one-time`] },
    },
    {
      id: "near-free-shipping",
      label: "Cart near the free-shipping threshold",
      visitor: { ...guest, cartTotalCents: Math.max(0, (usThreshold?.amount ?? 5000) - 500) },
    },
  ];
}
