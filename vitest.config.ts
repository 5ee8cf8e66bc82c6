import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    globalSetup: ["tests/setup/database.ts"],
    setupFiles: ["tests/setup/offline.ts"],
    // Test files share one database (each uses its own shop domains) and 2 cores: run files one by one.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "testApiKey",
      SHOPIFY_API_SECRET: "testApiSecretKey",
      SHOPIFY_APP_URL: "https://my-test-app.myshopify.io",
      SCOPES: "read_customers,write_customers,read_orders,read_all_orders,read_products",
    },
  },
});
