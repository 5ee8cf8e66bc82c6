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

/** Customer search (customersCount) for tagged customers subscribed to email marketing. */
export function taggedSubscribersSearch(tag: string) {
  // Shopify's search syntax has no escapes inside quotes.
  if (tag.includes('"')) return null;
  return `tag:"${tag}" AND accepts_marketing:true`;
}
