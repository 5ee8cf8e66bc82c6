// Webhook bodies in Shopify's REST shape (see shared/shopify/webhooks/*), built from records at
// the moment of the change so later edits never leak into an earlier delivery.
import {
  type Address,
  type CustomerRecord,
  type OrderRecord,
  type ProductRecord,
  countryName,
  restMoney,
} from "./model";
import type { Store } from "./store";

/** REST timestamps carry an offset; the stand-in's shop runs on UTC. */
export const restTime = (ms: number | null) =>
  ms === null
    ? null
    : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");

const moneySet = (cents: number, currency: string) => ({
  shop_money: { amount: restMoney(cents), currency_code: currency },
  presentment_money: { amount: restMoney(cents), currency_code: currency },
});

const MARKETING_STATE: Record<CustomerRecord["marketingState"], string> = {
  SUBSCRIBED: "subscribed",
  NOT_SUBSCRIBED: "not_subscribed",
  UNSUBSCRIBED: "unsubscribed",
  PENDING: "pending",
};

function addressPayload(address: Address | null, extra: Record<string, unknown> = {}) {
  if (!address) return null;
  return {
    ...extra,
    address1: null,
    address2: null,
    city: address.city,
    province: address.provinceCode,
    country: countryName(address.countryCode),
    zip: null,
    province_code: address.provinceCode,
    country_code: address.countryCode,
    country_name: countryName(address.countryCode),
  };
}

function customerCore(store: Store, customer: CustomerRecord) {
  return {
    id: customer.id,
    email: customer.email,
    created_at: restTime(customer.createdAt),
    updated_at: restTime(customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: null,
    currency: store.shop.currencyCode,
    tax_exemptions: [],
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    default_address: addressPayload(customer.address, {
      id: customer.id + 2_400_000_000_000,
      customer_id: customer.id,
      first_name: customer.firstName,
      last_name: customer.lastName,
      company: null,
      phone: null,
      name: `${customer.firstName} ${customer.lastName}`,
      default: true,
    }),
  };
}

export function customerPayload(store: Store, customer: CustomerRecord) {
  const stats = store.customerStats(customer.id);
  const core = customerCore(store, customer);
  return {
    ...core,
    orders_count: stats.numberOfOrders,
    total_spent: restMoney(stats.amountSpentCents),
    last_order_id: stats.lastOrder?.id ?? null,
    last_order_name: stats.lastOrder ? `#${stats.lastOrder.number}` : null,
    tags: customer.tags.join(", "),
    email_marketing_consent: {
      state: MARKETING_STATE[customer.marketingState],
      opt_in_level: customer.marketingState === "SUBSCRIBED" ? "single_opt_in" : null,
      consent_updated_at: null,
    },
    addresses: core.default_address ? [core.default_address] : [],
  };
}

export function customerTagsPayload(customer: CustomerRecord, tags: string[], at: number) {
  return {
    customerId: `gid://shopify/Customer/${customer.id}`,
    tags,
    occurredAt: new Date(at).toISOString(),
  };
}

export function orderPayload(store: Store, order: OrderRecord) {
  const currency = store.shop.currencyCode;
  const customer = order.customerId === null ? null : store.customers.get(order.customerId);
  const lineItemsCents = order.lineItems.reduce(
    (sum, line) => sum + line.quantity * line.unitPriceCents,
    0,
  );
  const financialStatus = order.cancelledAt !== null ? "refunded" : "paid";
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    app_id: null,
    buyer_accepts_marketing: customer?.marketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason,
    cancelled_at: restTime(order.cancelledAt),
    closed_at: null,
    confirmation_number: null,
    confirmed: true,
    contact_email: customer?.email ?? null,
    created_at: restTime(order.createdAt),
    currency,
    current_subtotal_price: restMoney(order.subtotalCents - order.discountCents),
    current_subtotal_price_set: moneySet(order.subtotalCents - order.discountCents, currency),
    current_total_discounts: restMoney(order.discountCents),
    current_total_discounts_set: moneySet(order.discountCents, currency),
    current_total_price: restMoney(order.totalCents),
    current_total_price_set: moneySet(order.totalCents, currency),
    current_total_tax: "0.00",
    current_total_tax_set: moneySet(0, currency),
    discount_codes: order.discountCodes.map((code) => ({
      code,
      amount: restMoney(order.discountCents),
      type: "percentage",
    })),
    email: customer?.email ?? "",
    financial_status: financialStatus,
    fulfillment_status: null,
    name: `#${order.number}`,
    note: null,
    number: order.number - 1000,
    order_number: order.number,
    presentment_currency: currency,
    processed_at: restTime(order.processedAt),
    source_name: order.sourceName,
    subtotal_price: restMoney(order.subtotalCents - order.discountCents),
    subtotal_price_set: moneySet(order.subtotalCents - order.discountCents, currency),
    tags: order.tags.join(", "),
    test: order.test,
    total_discounts: restMoney(order.discountCents),
    total_discounts_set: moneySet(order.discountCents, currency),
    total_line_items_price: restMoney(lineItemsCents),
    total_line_items_price_set: moneySet(lineItemsCents, currency),
    total_price: restMoney(order.totalCents),
    total_price_set: moneySet(order.totalCents, currency),
    total_shipping_price_set: moneySet(order.shippingCents, currency),
    total_tax: "0.00",
    total_tax_set: moneySet(0, currency),
    updated_at: restTime(order.updatedAt),
    billing_address: addressPayload(order.shippingAddress),
    customer: customer ? customerCore(store, customer) : null,
    line_items: order.lineItems.map((line) => {
      const product = line.productId === null ? null : store.products.get(line.productId);
      const variant = line.variantId === null ? null : store.variants.get(line.variantId);
      return {
        id: line.id,
        admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
        current_quantity: order.cancelledAt === null ? line.quantity : 0,
        fulfillable_quantity: line.quantity,
        fulfillment_status: null,
        gift_card: product?.giftCard ?? false,
        name:
          variant && variant.title !== "Default Title"
            ? `${line.title} - ${variant.title}`
            : line.title,
        price: restMoney(line.unitPriceCents),
        price_set: moneySet(line.unitPriceCents, currency),
        product_exists: Boolean(product),
        product_id: line.productId,
        properties: [],
        quantity: line.quantity,
        requires_shipping: true,
        sku: variant?.sku ?? null,
        taxable: true,
        title: line.title,
        total_discount: "0.00",
        total_discount_set: moneySet(0, currency),
        variant_id: line.variantId,
        variant_title: variant?.title ?? null,
        vendor: product?.vendor ?? null,
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    }),
    refunds: [],
    shipping_address: addressPayload(order.shippingAddress),
    shipping_lines: order.shippingCents
      ? [{ code: "Standard", price: restMoney(order.shippingCents), title: "Standard" }]
      : [],
  };
}

export function productPayload(product: ProductRecord) {
  return {
    id: product.id,
    admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
    title: product.title,
    handle: product.handle,
    product_type: product.productType,
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: restTime(product.createdAt),
    updated_at: restTime(product.updatedAt),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      admin_graphql_api_id: `gid://shopify/ProductVariant/${variant.id}`,
      product_id: product.id,
      title: variant.title,
      sku: variant.sku,
      price: restMoney(variant.priceCents),
    })),
  };
}
