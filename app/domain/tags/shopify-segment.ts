/** The Shopify customer segment mirroring a tagged segment (PRODUCT.md §5). */
export function shopifySegmentName(segmentName: string) {
  return `Persegment: ${segmentName}`;
}

/** Quotes a value for the segment query language (single-quoted, backslash escapes). */
export function segmentQueryString(value: string) {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function shopifySegmentQuery(tag: string) {
  return `customer_tags CONTAINS ${segmentQueryString(tag)}`;
}

/** Members of the tag's segment that Shopify Email can reach. */
export function subscribedMembersQuery(tag: string) {
  return `${shopifySegmentQuery(tag)} AND email_subscription_status = 'SUBSCRIBED'`;
}
