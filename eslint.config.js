import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      "test-artifacts/",
      "tmp/",
      "extensions/**/assets/*.min.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The workspace packages (packages/*) are dev-only tools: the app never imports them.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@persegment/*"],
              message: "packages/* are dev-only: app/ never imports them.",
            },
          ],
        },
      ],
    },
  },
  {
    // The Shopify stand-in is Shopify, not the app: it imports nothing from app/.
    files: ["packages/shopify-stand-in/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/*", "**/app/*"],
              message: "The Shopify stand-in imports nothing from app/.",
            },
          ],
        },
      ],
    },
  },
  {
    // The storefront preview renders the app's extension from the app's published data: of app/,
    // it may import only the framework-free domain core.
    files: ["packages/storefront-preview/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/*", "!~/domain", "**/app/*"],
              message: "Of app/, the storefront preview imports only app/domain (as ~/domain/…).",
            },
          ],
        },
      ],
    },
  },
  {
    // The domain core is plain TypeScript: no framework, database or Shopify imports.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@remix-run/*",
                "@shopify/*",
                "@prisma/*",
                "*.server",
                "~/db.server",
                "react",
                "@persegment/*",
              ],
              message: "app/domain is framework-free: pass plain data in.",
            },
          ],
        },
      ],
    },
  },
  {
    // The app logs through app/logger.server.ts (structured, with shop and job); the CLI prints.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/cli/**"],
    rules: { "no-console": "error" },
  },
  {
    files: ["scripts/**/*.cjs", ".dependency-cruiser.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
