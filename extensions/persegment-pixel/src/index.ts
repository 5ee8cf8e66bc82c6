// Persegment's app pixel, in Shopify's strict sandbox (a web worker: no DOM, no page). The top
// bar's script publishes a custom event when the bar is shown, clicked or dismissed; this counts
// them per bar and sends the counts to the app in one small batch. Nothing goes out while the
// page renders: a click or dismissal sends at once (the shopper may be leaving the page), shown
// bars alone wait until the page has been open a while.
import { register } from "@shopify/web-pixels-extension";

const KINDS = {
  "persegment:bar_impression": "impression",
  "persegment:bar_click": "click",
  "persegment:bar_dismiss": "dismiss",
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

/** Without a click or dismissal, the page's counts go out this long after the first event. */
const QUIET_FLUSH_MS = 10_000;
/** The collector's limit per bar and kind in a batch (BATCH_LIMITS.countPerEntry). */
const MAX_COUNT = 20;

register(({ analytics, browser, settings, init }) => {
  const shop = init.data.shop.myshopifyDomain;
  const pending = new Map<string, { barId: string; kind: Kind; count: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  // sendBeacon runs in the top frame: the batch still leaves when a click navigates away and the
  // sandbox goes with the page.
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const body = JSON.stringify({ shop, counts: [...pending.values()] });
    pending.clear();
    void browser.sendBeacon(settings.collectorUrl, body);
  };

  for (const [name, kind] of Object.entries(KINDS) as [string, Kind][])
    analytics.subscribe(name, (event) => {
      const barId = (event.customData as { barId?: unknown } | null)?.barId;
      if (typeof barId !== "string") return;
      const key = `${barId} ${kind}`;
      const entry = pending.get(key) ?? { barId, kind, count: 0 };
      entry.count = Math.min(entry.count + 1, MAX_COUNT);
      pending.set(key, entry);
      if (kind === "impression") timer ??= setTimeout(flush, QUIET_FLUSH_MS);
      else flush();
    });
});
