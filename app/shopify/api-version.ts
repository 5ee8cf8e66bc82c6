/** The one Admin API version the app, its GraphQL documents, shopify.app.toml and the stand-in use. */
export const ADMIN_API_VERSION = "2026-04";
