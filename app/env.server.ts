import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "../prisma/provider.js";
import { configuredStandIn } from "./shopify/admin-origin.server";

const EnvSchema = z.object({
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.url(),
  SCOPES: z.string().min(1),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  /** Points the Admin API client at the local Shopify stand-in; refused in production. */
  SHOPIFY_ADMIN_API_ORIGIN: z.url().optional(),
  NODE_ENV: z.string().default("development"),
});

export type AppEnv = z.infer<typeof EnvSchema>;

/** Reads and validates the app's configuration, naming every missing or invalid variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(
      `Persegment cannot start; fix these environment variables:\n${problems.join("\n")}`,
    );
  }
  configuredStandIn(parsed.data);
  return parsed.data;
}
