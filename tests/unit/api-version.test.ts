// One Admin API version: app/shopify/api-version.ts. shopify.app.toml (which Shopify reads) and
// the Shopify stand-in (which imports nothing from app/) spell it too, and must agree; no other
// source file spells it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ApiVersion } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import {
  ADMIN_SCHEMA_PATH,
  API_VERSION as STAND_IN_API_VERSION,
} from "@persegment/shopify-stand-in";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Files that must spell the version: the constant, the stand-in's own, and Shopify's config. */
const SPELLED_IN = [
  "app/shopify/api-version.ts",
  "packages/shopify-stand-in/src/schema.ts",
  "shopify.app.toml",
];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|json|toml|liquid|prisma|sql|css)$/;
/** Not source: dependencies, output, third-party data (vendor/shopify/admin-<version>.graphql). */
const SKIPPED = new Set([
  "node_modules",
  ".git",
  "build",
  "tmp",
  ".cache",
  ".shopify",
  "test-artifacts",
]);
const SKIPPED_PATHS = new Set(["vendor", "bench/results"]);

function sourceFiles(dir = ""): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory())
      return SKIPPED.has(entry.name) || SKIPPED_PATHS.has(relative) ? [] : sourceFiles(relative);
    return entry.isFile() && SOURCE.test(entry.name) ? [relative] : [];
  });
}

/** The value of `key` in the TOML table `table` (top-level keys and [table] headers only). */
function tomlValue(text: string, table: string, key: string) {
  let current = "";
  for (const line of text.split("\n")) {
    const header = /^\s*\[+\s*([^\]]+?)\s*\]+/.exec(line);
    if (header) current = header[1];
    const entry = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`).exec(line);
    if (entry && current === table) return entry[1];
  }
  return undefined;
}

describe("the Admin API version", () => {
  it("is a Shopify release (YYYY-MM, the month a quarter starts)", () => {
    expect(ADMIN_API_VERSION).toMatch(/^\d{4}-(01|04|07|10)$/);
    expect(Object.values(ApiVersion)).toContain(ADMIN_API_VERSION);
  });

  it("is the one shopify.app.toml subscribes webhooks with", () => {
    const toml = readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
    expect(tomlValue(toml, "webhooks", "api_version")).toBe(ADMIN_API_VERSION);
  });

  it("is the one the Shopify stand-in serves, on that version's vendored schema", () => {
    expect(STAND_IN_API_VERSION).toBe(ADMIN_API_VERSION);
    expect(path.basename(ADMIN_SCHEMA_PATH)).toBe(`admin-${ADMIN_API_VERSION}.graphql`);
  });

  it("is what every ApiVersion member named in app/ stands for", () => {
    const named = sourceFiles("app").flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/\bApiVersion\.(\w+)/g)].map(
        (match) => ({ file, member: match[1] }),
      ),
    );
    for (const { file, member } of named)
      expect(ApiVersion[member as keyof typeof ApiVersion], `${file}: ApiVersion.${member}`).toBe(
        ADMIN_API_VERSION,
      );
  });

  it("is spelled in no other source file (import ADMIN_API_VERSION instead)", () => {
    // The version, not a date in that month ("2026-04-30") nor a longer number.
    const spelled = new RegExp(`(?<!\\d)${ADMIN_API_VERSION}(?!\\d|-\\d)`);
    const files = sourceFiles();
    expect(files).toContain("app/shopify/api-version.ts");
    const spelling = files.filter((file) =>
      spelled.test(readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(spelling.sort()).toEqual([...SPELLED_IN].sort());
  });
});
