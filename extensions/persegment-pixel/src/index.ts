// Persegment's app pixel, in Shopify's strict sandbox (a web worker: no DOM, no page). The top
// bar's script publishes a custom event when the bar is shown, clicked or dismissed; this counts
// them per bar and sends the counts to the app in one small batch. Nothing goes out while the
// page renders: a click or dismissal sends at once (the shopper may be leaving the page), shown
// bars alone wait until the page has been open a while. The sandbox sees no page leaving, so the
// unsent counts are kept in the session's storage and go out with the next page's batch. A click
// that leads to a fast next page can end this one before the click's event gets here: the bar's
// script notes each click in the session's storage too (with an id of its own, so that nothing is
// counted twice), and the next page's pixel counts the clicks no batch has sent.
import { register } from "@shopify/web-pixels-extension";

const KINDS = {
  "persegment:bar_impression": "impression",
  "persegment:bar_click": "click",
  "persegment:bar_dismiss": "dismiss",
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];
type Count = { barId: string; kind: Kind; count: number };

/** Without a click or dismissal, the page's counts go out this long after the first event. */
const QUIET_FLUSH_MS = 10_000;
/** The collector's limit per bar and kind in a batch (BATCH_LIMITS.countPerEntry). */
const MAX_COUNT = 20;
const UNSENT = "persegment:bar-counts";
/** Clicks as the bar's script (top-bar.js) noted them; cleared whenever a batch leaves. */
const CLICKS = "persegment:bar-clicks";
type NotedClick = { barId: string; clickId: string };

/** A list this pixel or the bar's script kept in session storage: its valid entries only. */
function storedList<T>(stored: string | null, valid: (entry: T) => boolean): T[] {
  try {
    const entries: unknown = JSON.parse(stored ?? "[]");
    return Array.isArray(entries) ? entries.filter(valid) : [];
  } catch {
    return [];
  }
}

/** Counts a closed page left unsent, as this pixel stored them. */
const unsentCounts = (stored: string | null) =>
  storedList<Count>(
    stored,
    (entry) =>
      typeof entry?.barId === "string" &&
      Object.values(KINDS).includes(entry.kind) &&
      Number.isInteger(entry.count) &&
      entry.count > 0,
  );

/** The bar's script's notes of clicks. */
const notedClicks = (stored: string | null) =>
  storedList<NotedClick>(
    stored,
    (entry) => typeof entry?.barId === "string" && typeof entry.clickId === "string",
  );

register(({ analytics, browser, settings, init }) => {
  const shop = init.data.shop.myshopifyDomain;
  const pending = new Map<string, Count>();
  /** The clicks this page counted, by id: from their events or from the notes of an earlier page. */
  const countedClicks = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const add = ({ barId, kind, count }: Count) => {
    const key = `${barId} ${kind}`;
    const entry = pending.get(key) ?? { barId, kind, count: 0 };
    entry.count = Math.min(entry.count + count, MAX_COUNT);
    pending.set(key, entry);
    void browser.sessionStorage.setItem(UNSENT, JSON.stringify([...pending.values()]));
  };

  // sendBeacon runs in the top frame: the batch still leaves when a click navigates away and the
  // sandbox goes with the page.
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const body = JSON.stringify({ shop, counts: [...pending.values()] });
    pending.clear();
    void browser.sessionStorage.removeItem(UNSENT);
    void browser.sessionStorage.removeItem(CLICKS);
    void browser.sendBeacon(settings.collectorUrl, body);
  };

  for (const [name, kind] of Object.entries(KINDS) as [string, Kind][])
    analytics.subscribe(name, (event) => {
      const { barId, clickId } = (event.customData ?? {}) as { barId?: unknown; clickId?: unknown };
      if (typeof barId !== "string") return;
      if (typeof clickId === "string") {
        if (countedClicks.has(clickId)) return flush();
        countedClicks.add(clickId);
      }
      add({ barId, kind, count: 1 });
      if (kind === "impression") timer ??= setTimeout(flush, QUIET_FLUSH_MS);
      else flush();
    });

  void Promise.all([
    browser.sessionStorage.getItem(UNSENT),
    browser.sessionStorage.getItem(CLICKS),
  ]).then(([stored, clicks]) => {
    const carried = unsentCounts(stored);
    const noted = notedClicks(clicks);
    for (const { barId, clickId } of noted)
      if (!countedClicks.has(clickId)) {
        countedClicks.add(clickId);
        carried.push({ barId, kind: "click", count: 1 });
      }
    // The noted clicks now wait with the other unsent counts (add stores them first).
    for (const entry of carried) add(entry);
    if (noted.length > 0) void browser.sessionStorage.removeItem(CLICKS);
    if (carried.length > 0) timer ??= setTimeout(flush, QUIET_FLUSH_MS);
  });
});
