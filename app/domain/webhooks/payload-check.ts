/**
 * Shopify signs a webhook's body only, not its headers (topic, shop). A body captured from one
 * delivery and re-sent under another topic or shop still passes the signature check: an
 * `orders/create` body sent as `customers/redact` deleted a customer, and as `shop/redact` with
 * another shop's domain wiped that shop. So the body must be one Shopify would send for the
 * topic and shop the headers name.
 */

const COMPLIANCE_TOPICS = new Set(["customers/redact", "customers/data_request", "shop/redact"]);

/** The resource type each topic family's `admin_graphql_api_id` names. */
const RESOURCE_OF_TOPIC: [prefix: string, gidType: string][] = [
  ["orders/", "Order"],
  ["customers/", "Customer"],
  ["products/", "Product"],
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Why `payload` cannot be a `topic` delivery for `shop`, or null when it can. */
export function payloadMismatch(topic: string, shop: string, payload: unknown): string | null {
  if (!isObject(payload)) return "the body is not a JSON object";
  if (COMPLIANCE_TOPICS.has(topic)) {
    if (payload.shop_domain !== shop)
      return `${topic} names shop ${JSON.stringify(payload.shop_domain ?? null)}, not ${shop}`;
    if (topic !== "shop/redact" && !(isObject(payload.customer) && payload.customer.id != null))
      return `${topic} without a customer`;
    return null;
  }
  const gid = payload.admin_graphql_api_id;
  for (const [prefix, type] of RESOURCE_OF_TOPIC)
    if (topic.startsWith(prefix) && gid !== undefined) {
      // (Not compared with `id`: ids beyond 2^53 lose digits in JSON.parse.)
      if (typeof gid !== "string" || !gid.startsWith(`gid://shopify/${type}/`))
        return `${topic} carries ${JSON.stringify(gid)}, not a ${type}`;
    }
  if (topic.startsWith("customer.tags_")) {
    const customerId = payload.customerId;
    if (typeof customerId !== "string" || !customerId.startsWith("gid://shopify/Customer/"))
      return `${topic} without a customer`;
  }
  return null;
}
