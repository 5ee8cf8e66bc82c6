/**
 * The one Admin API version the app, its GraphQL documents, shopify.app.toml and the stand-in use.
 * The only place it is spelled (beside shopify.app.toml, the stand-in's own constant and the
 * vendored schema's name): tests/unit/api-version.test.ts checks that everything else agrees.
 */
export const ADMIN_API_VERSION = "2026-04";
