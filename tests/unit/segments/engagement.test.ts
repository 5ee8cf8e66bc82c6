import { describe, expect, it } from "vitest";
import { parseSegmentQuery } from "@persegment/shopify-stand-in";
import { BUILT_IN_HANDLES, builtInSegments, isComputedHere } from "~/domain/segments/catalog";
import {
  customerIdOfMember,
  DISENGAGED_MIN_DELIVERED,
  ENGAGEMENT_GROUPS,
  ENGAGEMENT_WINDOW_DAYS,
  engagementQuery,
  engagementUnavailableReason,
  SENDS_SHOPIFY_EMAIL_QUERY,
} from "~/domain/segments/engagement";
import { explainMembership, type ExplainContext } from "~/domain/segments/explain";
import { DEFAULT_SHOP_SETTINGS } from "~/domain/settings";

describe("email engagement groups", () => {
  it("are Shopify segment queries in the function syntax before 2026-10, with the spec's thresholds", () => {
    expect(ENGAGEMENT_WINDOW_DAYS).toBe(90);
    expect(DISENGAGED_MIN_DELIVERED).toBe(5);
    for (const query of [
      ...ENGAGEMENT_GROUPS.map((group) => group.query),
      SENDS_SHOPIFY_EMAIL_QUERY,
    ]) {
      expect(() => parseSegmentQuery(query)).not.toThrow();
      expect(query).not.toMatch(/MATCHES/);
    }
    expect(engagementQuery("email-engaged")).toBe(
      "email_subscription_status = 'SUBSCRIBED' AND (shopify_email.opened(date: -90d) = true OR shopify_email.clicked(date: -90d) = true)",
    );
    expect(engagementQuery("email-clicked-no-order")).toContain(
      "shopify_email.clicked(date: -90d) = true AND (last_order_date < -90d OR number_of_orders = 0)",
    );
    expect(engagementQuery("email-disengaged")).toContain(
      "shopify_email.delivered(date: -90d, count_at_least: 5) = true AND shopify_email.opened(date: -90d) = false AND shopify_email.clicked(date: -90d) = false",
    );
    expect(engagementQuery("champions")).toBeNull();
  });

  it("are built-in handles (no custom segment takes them) the recompute does not decide", () => {
    for (const group of ENGAGEMENT_GROUPS) expect(BUILT_IN_HANDLES).toContain(group.handle);
    // Created only for shops that send Shopify Email, by their own job.
    expect(builtInSegments(DEFAULT_SHOP_SETTINGS).some((s) => s.kind === "engagement")).toBe(false);
    expect(isComputedHere("engagement")).toBe(false);
    for (const kind of ["rfm", "lifecycle", "prediction", "custom"])
      expect(isComputedHere(kind)).toBe(true);
  });

  it("map segment member ids to customer ids and refuse anything else", () => {
    expect(customerIdOfMember("gid://shopify/CustomerSegmentMember/7100000000042")).toBe(
      "gid://shopify/Customer/7100000000042",
    );
    for (const id of ["gid://shopify/Customer/1", "gid://shopify/CustomerSegmentMember/x", "42"])
      expect(() => customerIdOfMember(id)).toThrow(/not a customer segment member id/);
  });

  it("say why a shop has none", () => {
    expect(engagementUnavailableReason({ sendsShopifyEmail: true, hasGroups: true })).toBeNull();
    expect(engagementUnavailableReason({ sendsShopifyEmail: false, hasGroups: true })).toBeNull();
    expect(engagementUnavailableReason({ sendsShopifyEmail: false, hasGroups: false })).toMatch(
      /delivered no email to your customers in the last 90 days/,
    );
    expect(engagementUnavailableReason({ sendsShopifyEmail: null, hasGroups: false })).toMatch(
      /after the first daily check/,
    );
  });

  it("explain a member as Shopify's selection", () => {
    const context = {
      asOf: new Date("2026-06-01T00:00:00Z"),
      thresholds: DEFAULT_SHOP_SETTINGS,
      money: String,
      date: (at: Date) => at.toISOString(),
    } satisfies ExplainContext;
    const segment = { kind: "engagement", handle: "email-engaged", rule: null };
    const facts = {} as Parameters<typeof explainMembership>[1];
    expect(explainMembership(segment, facts, { ...context, selectedByShopify: true }).met).toBe(
      true,
    );
    expect(explainMembership(segment, facts, { ...context, selectedByShopify: false }).met).toBe(
      false,
    );
  });
});
