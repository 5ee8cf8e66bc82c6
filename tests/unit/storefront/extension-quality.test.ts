// Static gates for the theme app extension: Shopify's theme check and the asset size budgets
// (PRODUCT.md §6: each JS file <= 2 KB gzipped, CSS <= 4 KB gzipped).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "@persegment/storefront-preview";

const assets = readdirSync(path.join(EXTENSION_DIR, "assets"));
const gzipped = (file: string) =>
  gzipSync(readFileSync(path.join(EXTENSION_DIR, "assets", file)), { level: 9 }).length;

describe("theme app extension", () => {
  it("passes theme check with no errors and no warnings", async () => {
    const { offenses } = await themeCheckRun(EXTENSION_DIR, undefined, () => {});
    const reported = offenses
      .filter((offense) => offense.severity <= 1)
      .map(
        (offense) =>
          `${offense.uri.split("/").slice(-2).join("/")}:${offense.start.line + 1} ${offense.check}: ${offense.message}`,
      );
    expect(reported).toEqual([]);
  });

  it("keeps every JavaScript file within 2 KB gzipped", () => {
    const scripts = assets.filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect(gzipped(file), file).toBeLessThanOrEqual(2048);
  });

  it("keeps every stylesheet within 4 KB gzipped", () => {
    const styles = assets.filter((file) => file.endsWith(".css"));
    expect(styles.length).toBeGreaterThan(0);
    for (const file of styles) expect(gzipped(file), file).toBeLessThanOrEqual(4096);
  });

  it("has every storefront string in English and German", () => {
    const keys = (file: string) => {
      const flatten = (node: object, prefix = ""): string[] =>
        Object.entries(node).flatMap(([key, value]) =>
          typeof value === "object" ? flatten(value, `${prefix}${key}.`) : [`${prefix}${key}`],
        );
      return flatten(
        JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8")),
      ).sort();
    };
    expect(keys("de.json")).toEqual(keys("en.default.json"));
  });
});
