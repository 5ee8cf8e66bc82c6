import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type GraphQLSchema, buildSchema } from "graphql";

export const API_VERSION = "2026-04";

/**
 * Shopify's real Admin schema, kept outside the repo (../shared/shopify next to the checkout);
 * SHOPIFY_ADMIN_SCHEMA_PATH points elsewhere.
 */
export const ADMIN_SCHEMA_PATH =
  process.env.SHOPIFY_ADMIN_SCHEMA_PATH ??
  fileURLToPath(new URL(`../../../shared/shopify/admin-${API_VERSION}.graphql`, import.meta.url));

let cached: GraphQLSchema | undefined;

/** Builds the schema once per process (about 0.7 s). */
export function adminSchema(path = ADMIN_SCHEMA_PATH): GraphQLSchema {
  if (cached) return cached;
  if (!existsSync(path))
    throw new Error(
      `The Shopify stand-in needs Shopify's Admin schema at ${path} (shared/shopify/admin-${API_VERSION}.graphql next to the repository checkout, or set SHOPIFY_ADMIN_SCHEMA_PATH); it is not there.`,
    );
  cached = buildSchema(readFileSync(path, "utf8"));
  return cached;
}
