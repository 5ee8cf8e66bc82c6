// Shopify Email activity: the campaigns a shop sent with Shopify Email and each recipient's events
// on them, which Shopify keeps for the segment query language's `shopify_email.<event>(…)`
// functions. The six event names are Shopify's ("Email events" in
// https://help.shopify.com/en/manual/customers/customer-segmentation/reference-guide/shopify-segments).
import { Random } from "./prng";
import type { Store } from "./store";

export const EMAIL_EVENT_KINDS = [
  "bounced",
  "clicked",
  "delivered",
  "marked_as_spam",
  "opened",
  "unsubscribed",
] as const;

export type EmailEventKind = (typeof EMAIL_EVENT_KINDS)[number];

/** One Shopify Email campaign (a marketing activity); its id is what `activity_id` names. */
export interface EmailActivityRecord {
  id: number;
  title: string;
  sentAt: number;
}

/** One event of one recipient on one campaign. */
export interface EmailEventRecord {
  activityId: number;
  kind: EmailEventKind;
  at: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface EmailHistoryOptions {
  seed: number;
  /** The history ends here (epoch ms). */
  nowMs: number;
  /** Days of campaigns before `nowMs` (default 180). */
  days?: number;
  /** Days between campaigns (default 12). */
  everyDays?: number;
}

/**
 * How a subscriber treats the shop's emails: a few fans open most, many open now and then, the
 * rest never do. Click chance is per opened email.
 */
const READERS: [{ open: number; click: number }, number][] = [
  [{ open: 0.65, click: 0.35 }, 20],
  [{ open: 0.25, click: 0.2 }, 35],
  [{ open: 0, click: 0 }, 45],
];

/**
 * Campaigns every `everyDays` over the last `days`, each sent to every customer subscribed to
 * email marketing who had signed up by then: delivered (or bounced, 1%), opened within three days
 * by their reader type's chance, clicked after opening. Its own random stream: the store's other
 * data is the same with or without it.
 */
export function generateEmailHistory(store: Store, options: EmailHistoryOptions) {
  const random = new Random(options.seed * 7919 + 104_729);
  const days = options.days ?? 180;
  const everyDays = options.everyDays ?? 12;
  const campaigns: EmailActivityRecord[] = [];
  for (let day = days; day >= 1; day -= everyDays) {
    const sentAt = options.nowMs - day * DAY + 15 * HOUR;
    const id = store.newId("MarketingActivity");
    campaigns.push({ id, title: `Newsletter ${campaigns.length + 1}`, sentAt });
  }
  for (const campaign of campaigns) store.insertEmailActivity(campaign);
  for (const customer of store.customers.values()) {
    if (customer.marketingState !== "SUBSCRIBED") continue;
    const reader = random.weighted(READERS);
    for (const campaign of campaigns) {
      if (customer.createdAt > campaign.sentAt) continue;
      const deliveredAt = campaign.sentAt + random.int(1, 20) * 60_000;
      if (random.chance(0.01)) {
        store.insertEmailEvent(customer.id, {
          activityId: campaign.id,
          kind: "bounced",
          at: deliveredAt,
        });
        continue;
      }
      store.insertEmailEvent(customer.id, {
        activityId: campaign.id,
        kind: "delivered",
        at: deliveredAt,
      });
      if (!random.chance(reader.open)) continue;
      const openedAt = Math.min(options.nowMs - 1000, deliveredAt + random.int(1, 72) * HOUR);
      store.insertEmailEvent(customer.id, {
        activityId: campaign.id,
        kind: "opened",
        at: openedAt,
      });
      if (random.chance(reader.click))
        store.insertEmailEvent(customer.id, {
          activityId: campaign.id,
          kind: "clicked",
          at: Math.min(options.nowMs - 1000, openedAt + random.int(1, 30) * 60_000),
        });
    }
  }
}
