/**
 * Email engagement groups (PRODUCT.md §4): built-in segments whose members Shopify selects from
 * its own Shopify Email activity. Each is a segment query in the app's Admin API version's syntax, where a
 * function is compared with `= true` / `= false` (2026-10 replaces that with MATCHES: shopify.dev
 * changelog "Updated function syntax on the segment query language"); the event functions and
 * their `date` / `count_at_least` parameters are Shopify's "Email events" filters
 * (help.shopify.com, customer segmentation reference, Shopify-based filters). The app stores only
 * who belongs.
 */
/** How far back email activity and orders are looked at. */
export const ENGAGEMENT_WINDOW_DAYS = 90;
/** Emails delivered in the window, none opened or clicked, before a subscriber is disengaged. */
export const DISENGAGED_MIN_DELIVERED = 5;

const since = `date: -${ENGAGEMENT_WINDOW_DAYS}d`;
const subscribed = "email_subscription_status = 'SUBSCRIBED'";
const opened = (happened: boolean) => `shopify_email.opened(${since}) = ${happened}`;
const clicked = (happened: boolean) => `shopify_email.clicked(${since}) = ${happened}`;
const noRecentOrder = `(last_order_date < -${ENGAGEMENT_WINDOW_DAYS}d OR number_of_orders = 0)`;

export interface EngagementGroup {
  handle: string;
  name: string;
  kind: "engagement";
  description: string;
  /** The Shopify segment query that selects the members. */
  query: string;
}

export const ENGAGEMENT_GROUPS: readonly EngagementGroup[] = [
  {
    handle: "email-engaged",
    name: "Engaged by email",
    kind: "engagement",
    description: `Subscribers who opened or clicked a Shopify Email in the last ${ENGAGEMENT_WINDOW_DAYS} days.`,
    query: `${subscribed} AND (${opened(true)} OR ${clicked(true)})`,
  },
  {
    handle: "email-clicked-no-order",
    name: "Clicked, didn't buy",
    kind: "engagement",
    description: `Subscribers who clicked a Shopify Email in the last ${ENGAGEMENT_WINDOW_DAYS} days but placed no order in that time.`,
    query: `${subscribed} AND ${clicked(true)} AND ${noRecentOrder}`,
  },
  {
    handle: "email-disengaged",
    name: "Disengaged by email",
    kind: "engagement",
    description: `Subscribers who were delivered at least ${DISENGAGED_MIN_DELIVERED} Shopify Emails in the last ${ENGAGEMENT_WINDOW_DAYS} days and opened or clicked none.`,
    query: `${subscribed} AND shopify_email.delivered(${since}, count_at_least: ${DISENGAGED_MIN_DELIVERED}) = true AND ${opened(false)} AND ${clicked(false)}`,
  },
];

/** Whether the shop sends Shopify Email: someone was delivered one in the window. */
export const SENDS_SHOPIFY_EMAIL_QUERY = `shopify_email.delivered(${since}) = true`;

export const ENGAGEMENT_HANDLES = ENGAGEMENT_GROUPS.map((group) => group.handle);

export function engagementQuery(handle: string) {
  return ENGAGEMENT_GROUPS.find((group) => group.handle === handle)?.query ?? null;
}

const MEMBER_ID = /^gid:\/\/shopify\/CustomerSegmentMember\/(\d+)$/;

/**
 * The customer a segment member is: Shopify answers CustomerSegmentMember ids whose number is the
 * customer's. Anything else is refused rather than stored under a wrong id.
 */
export function customerIdOfMember(memberId: string) {
  const match = MEMBER_ID.exec(memberId);
  if (!match) throw new Error(`"${memberId}" is not a customer segment member id`);
  return `gid://shopify/Customer/${match[1]}`;
}

/** Why the shop has no engagement groups, for the segment list (null: it has them). */
export function engagementUnavailableReason(check: {
  sendsShopifyEmail: boolean | null;
  hasGroups: boolean;
}) {
  if (check.hasGroups) return null;
  if (check.sendsShopifyEmail === null)
    return "Email engagement groups appear after the first daily check of your Shopify Email activity.";
  if (!check.sendsShopifyEmail)
    return `No email engagement groups: Shopify Email delivered no email to your customers in the last ${ENGAGEMENT_WINDOW_DAYS} days. They appear once you send with Shopify Email.`;
  return null;
}
