// A Liquid engine that behaves like Shopify's for what the extension uses, and refuses the rest:
// an unknown filter, an undefined object or property, or a missing translation fails the render
// instead of printing nothing. Shopify filters are registered by hand, one by one.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid } from "liquidjs";

export const EXTENSION_DIR = path.resolve(
  import.meta.dirname,
  "../../../extensions/persegment-storefront",
);

export interface RenderLocale {
  /** Storefront language, e.g. "en" or "de" (request.locale.iso_code). */
  locale: string;
  currency: string;
  /** The render's clock: Liquid's 'now'. */
  now: Date;
}

type Translations = Record<string, unknown>;

function readLocales(): Record<string, Translations> {
  const locales: Record<string, Translations> = {};
  for (const file of ["en.default.json", "de.json"]) {
    const locale = file.split(".")[0];
    locales[locale] = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8"));
  }
  return locales;
}

/** Formats minor units like the storefront's `money` filter (and like the bar's script). */
export function formatMoney(cents: number, currency: string, locale: string) {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export function createEngine({ locale, currency, now }: RenderLocale) {
  const engine = new Liquid({
    root: path.join(EXTENSION_DIR, "snippets"),
    extname: ".liquid",
    strictFilters: true,
    strictVariables: true,
    ownPropertyOnly: true,
    jsTruthy: false,
    // Snippets are parsed once per engine; every page render makes an engine of its own.
    cache: true,
  });
  const locales = readLocales();

  // {% schema %} is read by Shopify, never rendered.
  engine.registerTag("schema", {
    parse(_token, remainTokens) {
      const stream = this.liquid.parser.parseStream(remainTokens);
      stream.on("tag:endschema", () => stream.stop()).on("template", () => {});
      stream.start();
    },
    render() {
      return "";
    },
  });

  engine.registerFilter("t", (key: string) => {
    const lookup = (translations: Translations | undefined) =>
      key
        .split(".")
        .reduce<unknown>((node, part) => (node as Translations | undefined)?.[part], translations);
    const text = lookup(locales[locale]) ?? lookup(locales.en);
    if (typeof text !== "string") throw new Error(`translation missing: ${locale}.${key}`);
    return text;
  });

  engine.registerFilter("money", (cents: unknown) => {
    if (typeof cents !== "number" || !Number.isInteger(cents))
      throw new Error(`money expects integer cents, got ${JSON.stringify(cents)}`);
    return formatMoney(cents, currency, locale);
  });

  // Shopify divides integers as integers; liquidjs would return a fraction.
  engine.registerFilter("divided_by", (dividend: number, divisor: number) => {
    if (typeof dividend !== "number" || typeof divisor !== "number")
      throw new Error("divided_by expects numbers");
    return Number.isInteger(dividend) && Number.isInteger(divisor)
      ? Math.floor(dividend / divisor)
      : dividend / divisor;
  });

  // Only the formats the extension uses; 'now' is the render's clock.
  engine.registerFilter("date", (input: unknown, format: string) => {
    const date = input === "now" ? now : new Date(String(input));
    if (Number.isNaN(date.getTime())) throw new Error(`date: cannot read ${JSON.stringify(input)}`);
    if (format === "%s") return String(Math.floor(date.getTime() / 1000));
    throw new Error(`date: format ${format} is not supported by the preview`);
  });

  engine.registerFilter("image_url", (image: unknown, ...args: unknown[]) => {
    const src = (image as { src?: unknown } | null)?.src;
    if (typeof src !== "string") throw new Error("image_url expects an image");
    const options = Object.fromEntries(args.filter(Array.isArray) as [string, unknown][]);
    const url = new URL(src, "https://preview.invalid");
    if (options.width) url.searchParams.set("width", String(options.width));
    return src.startsWith("/") ? `${url.pathname}${url.search}` : url.toString();
  });

  // Shopify's string filter: the hex SHA-256 of the text (UTF-8).
  engine.registerFilter("sha256", (input: unknown) => {
    if (typeof input !== "string" && typeof input !== "number")
      throw new Error(`sha256 expects a string, got ${JSON.stringify(input)}`);
    return createHash("sha256").update(String(input)).digest("hex");
  });

  engine.registerFilter("asset_url", (name: string) => `/assets/${encodeURIComponent(name)}`);

  return engine;
}

export interface BlockSchema {
  name: string;
  target: string;
  javascript?: string;
  stylesheet?: string;
  settings?: { id: string; default?: unknown }[];
}

export function readBlock(file: string): { source: string; schema: BlockSchema } {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", file), "utf8");
  const match = source.match(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/);
  if (!match) throw new Error(`${file} has no schema`);
  return { source, schema: JSON.parse(match[1]) };
}

export function defaultSettings(schema: BlockSchema): Record<string, unknown> {
  return Object.fromEntries(
    (schema.settings ?? [])
      .filter((setting) => setting.id)
      .map((setting) => [setting.id, setting.default ?? null]),
  );
}
