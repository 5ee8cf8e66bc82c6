import { describe, expect, it } from "vitest";
import { payloadMismatch } from "~/domain/webhooks/payload-check";
import { webhookSample } from "../../support/shopify-reference";

const shop = "shop-a.myshopify.com";
/** Shopify's sample for a compliance topic, as it would come for `shop`. */
const compliance = (topic: string, domain = shop) => ({
  ...webhookSample(topic),
  shop_domain: domain,
});

describe("a webhook body checked against its headers", () => {
  it("accepts Shopify's own samples under their topics", () => {
    for (const topic of ["orders/create", "orders/updated", "orders/delete", "customers/create"])
      expect(payloadMismatch(topic, shop, webhookSample(topic))).toBeNull();
    for (const topic of ["customers/update", "customers/delete", "customer.tags_added"])
      expect(payloadMismatch(topic, shop, webhookSample(topic))).toBeNull();
    for (const topic of ["customers/redact", "customers/data_request", "shop/redact"])
      expect(payloadMismatch(topic, shop, compliance(topic))).toBeNull();
  });

  it("refuses an order body re-sent as a compliance topic or as a customer topic", () => {
    const order = webhookSample("orders/create");
    expect(payloadMismatch("customers/redact", shop, order)).toMatch(/names shop null/);
    expect(payloadMismatch("shop/redact", shop, order)).toMatch(/names shop null/);
    expect(payloadMismatch("customers/delete", shop, order)).toMatch(/not a Customer/);
    expect(payloadMismatch("customer.tags_added", shop, order)).toMatch(/without a customer/);
  });

  it("refuses a compliance body re-sent for another shop, or without its customer", () => {
    expect(payloadMismatch("shop/redact", "shop-b.myshopify.com", compliance("shop/redact"))).toBe(
      `shop/redact names shop "${shop}", not shop-b.myshopify.com`,
    );
    const { customer: _customer, ...anonymous } = compliance("customers/redact");
    expect(payloadMismatch("customers/redact", shop, anonymous)).toMatch(/without a customer/);
  });

  it("refuses a body that is not an object", () => {
    expect(payloadMismatch("orders/create", shop, [1, 2])).toBe("the body is not a JSON object");
  });
});
