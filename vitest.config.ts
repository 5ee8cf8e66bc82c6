import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Five parts, run together by `npm test` or alone by `npm run test:<part>`:
// unit (pure code, no database or server: seconds), integration (a real database, the Shopify
// stand-in over HTTP), e2e (the built app, the demo and the storefront in Chromium), instances
// (three app processes on one PostgreSQL database) and packages (each workspace package's own
// tests, packages/*/test: no database).
const withDatabase = {
  globalSetup: ["tests/setup/database.ts"],
  setupFiles: ["tests/setup/offline.ts", "tests/setup/database-url.ts"],
};

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // Database-backed files share one scratch database (each uses its own shop domains) and the
    // machine has 2 cores: files run one by one.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "testApiKey",
      SHOPIFY_API_SECRET: "testApiSecretKey",
      SHOPIFY_APP_URL: "https://my-test-app.myshopify.io",
      SCOPES:
        "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products,read_themes,read_locales,write_pixels,read_customer_events",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          setupFiles: ["tests/setup/offline.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          ...withDatabase,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["tests/e2e/**/*.test.{ts,tsx}"], ...withDatabase },
      },
      {
        // Several app processes sharing the background work: a database of their own, so their
        // schedules visit only the shops the test made (PostgreSQL only).
        extends: true,
        test: { name: "instances", include: ["tests/instances/**/*.test.ts"], ...withDatabase },
      },
      {
        extends: true,
        test: {
          name: "packages",
          include: ["packages/*/test/**/*.test.{ts,tsx}"],
          setupFiles: ["tests/setup/offline.ts"],
        },
      },
    ],
  },
});
