import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type GraphQLSchema, buildSchema } from "graphql";

/**
 * The one Admin API version the stand-in serves, and the name of its schema file. The stand-in
 * takes nothing from the app: the app's tests check that this is the app's version.
 */
export const API_VERSION = "2026-04";

/**
 * Shopify's real Admin schema, vendored in vendor/shopify (provenance in its SOURCE.md);
 * SHOPIFY_ADMIN_SCHEMA_PATH points elsewhere.
 */
export const ADMIN_SCHEMA_PATH =
  process.env.SHOPIFY_ADMIN_SCHEMA_PATH ??
  fileURLToPath(new URL(`../../../vendor/shopify/admin-${API_VERSION}.graphql`, import.meta.url));

let cached: GraphQLSchema | undefined;

/** Builds the schema once per process (about 0.7 s). */
export function adminSchema(path = ADMIN_SCHEMA_PATH): GraphQLSchema {
  if (cached) return cached;
  if (!existsSync(path))
    throw new Error(
      `The Shopify stand-in needs Shopify's Admin schema at ${path} (vendor/shopify/admin-${API_VERSION}.graphql in the repository, or set SHOPIFY_ADMIN_SCHEMA_PATH); it is not there.`,
    );
  cached = buildSchema(readFileSync(path, "utf8"));
  return cached;
}
