/** The Shopify resources the app keeps a local copy of. */
export type SyncedResource = "customers" | "products" | "orders";
