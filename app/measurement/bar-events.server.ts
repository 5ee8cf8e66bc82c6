// The collector behind the web pixel's batches (app/routes/pixel.events.tsx): per visitor and per
// shop rate limits (in memory, so per app instance), the batch checked against the shop, then only
// the day's counts kept. The visitor's address is used only as a keyed hash, in memory, for the
// current minute. And the counts read back for a bar's results page.
import { createHmac, randomBytes } from "node:crypto";
import { isTimeZone } from "~/domain/dates";
import {
  barEngagement,
  checkAgainstShop,
  parseBarEventBatch,
  type BatchProblem,
} from "~/domain/measurement/bar-events";
import { RateLimit } from "~/domain/rate-limit";
import { shopDay } from "~/domain/segments/periods";
import { addBarEventCounts, barEventDays, shopForBarEvents } from "~/models/bar-events.server";

/** A visitor sends a batch per page view at most, and a click's batch: 30 a minute is plenty. */
export const BATCHES_PER_VISITOR_MINUTE = 30;
/** A shop's storefront as a whole; a busy store's visitors flush a few batches a second. */
export const BATCHES_PER_SHOP_MINUTE = 6000;

const perVisitor = new RateLimit(BATCHES_PER_VISITOR_MINUTE, 60_000);
const perShop = new RateLimit(BATCHES_PER_SHOP_MINUTE, 60_000);
/** New with every process: a visitor's key cannot be turned back into an address. */
const VISITOR_KEY = randomBytes(32);

export type CollectOutcome =
  | { ok: true; stored: number }
  | { ok: false; status: BatchProblem["status"] | 429; error: string; retryAfterSeconds?: number };

const tooMany = (retryAfterSeconds: number): CollectOutcome => ({
  ok: false,
  status: 429,
  error: "Too many batches; try again shortly.",
  retryAfterSeconds,
});

/** Takes one batch's body text from the visitor at `address`: stored whole, or refused whole. */
export async function collectBarEvents(
  text: string,
  address: string,
  now = new Date(),
): Promise<CollectOutcome> {
  const visitor = createHmac("sha256", VISITOR_KEY).update(address).digest("base64url");
  const visitorWait = perVisitor.take(visitor, now.getTime());
  if (visitorWait !== null) return tooMany(visitorWait);
  const batch = parseBarEventBatch(text);
  if (!batch.ok) return batch;
  const shopWait = perShop.take(batch.shop, now.getTime());
  if (shopWait !== null) return tooMany(shopWait);
  const shop = await shopForBarEvents(batch.shop);
  const problem = checkAgainstShop(batch, shop);
  if (problem) return { ok: false, ...problem };
  const timeZone = shop?.timeZone && isTimeZone(shop.timeZone) ? shop.timeZone : "UTC";
  await addBarEventCounts(batch.shop, shopDay(now, timeZone), batch.counts);
  return { ok: true, stored: batch.counts.length };
}

/** A bar's counts per day of the shop's calendar and in total, for its results page. */
export async function barEngagementFor(shop: string, barId: string) {
  return barEngagement(await barEventDays(shop, barId));
}
