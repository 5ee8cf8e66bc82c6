import { z } from "zod";
import { parseCalendarTime } from "../dates";
import { contrastRatio, HEX_COLOR, MINIMUM_TEXT_CONTRAST } from "./colors";
import { canonicalJson } from "./canonical-json";
import {
  DEFAULT_HOLDOUT_PERCENT,
  HOLDOUT_SLOTS,
  MAX_HOLDOUT_PERCENT,
  placeHoldout,
} from "../measurement/holdout";

/**
 * Top-bar definitions (PRODUCT.md §6): what a merchant edits, how it is validated, and the JSON
 * the theme app extension reads from the app-data metafield. Bars reach customers through the
 * segment tags, so a bar can only target segments that are written as tags.
 */

export const BAR_KINDS = ["message", "free-shipping"] as const;
export type BarKind = (typeof BAR_KINDS)[number];

export const VISITORS = ["everyone", "logged-in", "guests"] as const;
export type Visitors = (typeof VISITORS)[number];

/** Placeholder a free-shipping message must contain; the storefront puts the remaining amount there. */
export const AMOUNT_PLACEHOLDER = "{amount}";

/** At most this many bars per shop: the whole set travels in one metafield read on every page. */
export const MAX_BARS = 25;

const LOCALE = /^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

const message = z
  .string()
  .trim()
  .min(1, "Enter a message")
  .max(200, "Keep the message under 200 characters");

const messages = z
  .record(z.string().regex(LOCALE, "Use a language code like en, de or pt-BR"), message)
  .refine((value) => Object.keys(value).length > 0, "Enter a message in at least one language");

const link = z
  .string()
  .trim()
  .max(500)
  // No backslash anywhere: browsers read "\" as "/", so "/\evil.example" would leave the store.
  .refine(
    (value) =>
      value === "" ||
      /^\/(?!\/)[^\s\\]*$/.test(value) ||
      /^https:\/\/[^\s/$.?#\\][^\s\\]*$/.test(value),
    "Use a store path like /collections/sale or a full https:// address",
  );

const color = z.string().regex(HEX_COLOR, "Use a colour like #1a1a1a");

const isoDate = z
  .string()
  .refine((value) => parseCalendarTime(value) !== null, "Use a valid date and time")
  .nullable();

const threshold = z.object({
  countries: z.array(z.string().regex(COUNTRY, "Use two-letter country codes like US or DE")),
  currency: z.string().regex(CURRENCY, "Use a three-letter currency code like USD"),
  amountCents: z
    .number({ error: "Enter an amount like 49.95" })
    .int("Use whole cents")
    .positive("The threshold must be above zero")
    .max(100_000_000),
});

export const BarDefinitionSchema = z.object({
  name: z.string().trim().min(1, "Give the bar a name").max(80),
  enabled: z.boolean(),
  priority: z.number({ error: "Use a whole number" }).int("Use a whole number").min(0).max(1000),
  kind: z.enum(BAR_KINDS),
  defaultLocale: z.string().regex(LOCALE),
  messages,
  /** Free shipping only: shown once the cart reaches the threshold. */
  reachedMessages: z.record(z.string().regex(LOCALE), message),
  link,
  colors: z.object({ background: color, text: color }),
  audience: z.object({
    /** Segment handles; empty means every segment. */
    segments: z.array(z.string().min(1)).max(20),
    /** ISO 3166 country codes from `localization.country`; empty means everywhere. */
    countries: z.array(z.string().regex(COUNTRY, "Use two-letter country codes like US or DE")),
    visitors: z.enum(VISITORS),
  }),
  schedule: z.object({ startsAt: isoDate, endsAt: isoDate }),
  thresholds: z.array(threshold).max(50),
  /**
   * The measuring holdout (PRODUCT.md §8, measurement/holdout.ts). `start` and `since` are the
   * app's (withPlacedHoldout), never typed. Bars stored before holdouts existed have none.
   */
  holdout: z
    .object({
      percent: z
        .number({ error: "Enter a whole percentage like 10" })
        .int("Use a whole percentage")
        .min(0, "Use 0 to turn the holdout off")
        .max(MAX_HOLDOUT_PERCENT, `Hold out at most ${MAX_HOLDOUT_PERCENT} % of the audience`),
      start: z
        .number()
        .int()
        .min(0)
        .max(HOLDOUT_SLOTS - 1)
        .nullable(),
      /** When this share and place began: who is held out is the same from then on. */
      since: z
        .string()
        .refine((value) => !Number.isNaN(Date.parse(value)))
        .nullable()
        .default(null),
    })
    .default({ percent: 0, start: null, since: null }),
});

export type BarDefinition = z.infer<typeof BarDefinitionSchema>;

export interface SegmentOption {
  handle: string;
  name: string;
  tagEnabled: boolean;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

type Loose = Record<string, unknown> | undefined;

const asObject = (value: unknown): Loose =>
  value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * Rules across fields. They read the raw input defensively so they are reported together with
 * field errors: a merchant sees every problem of the form at once.
 */
function crossFieldErrors(input: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  const bar = asObject(input);
  if (!bar) return errors;
  const messages = asObject(bar.messages) ?? {};
  const reached = asObject(bar.reachedMessages) ?? {};
  const defaultLocale = typeof bar.defaultLocale === "string" ? bar.defaultLocale : "en";
  if (!(defaultLocale in messages))
    errors[`messages.${defaultLocale}`] =
      `Enter the message in ${defaultLocale}, the default language`;
  const colors = asObject(bar.colors);
  const [text, background] = [colors?.text, colors?.background];
  if (
    typeof text === "string" &&
    typeof background === "string" &&
    HEX_COLOR.test(text) &&
    HEX_COLOR.test(background)
  ) {
    const ratio = contrastRatio(text, background);
    if (ratio < MINIMUM_TEXT_CONTRAST)
      errors["colors.text"] =
        `Text and background need a contrast of at least ${MINIMUM_TEXT_CONTRAST}:1 to be readable (now ${ratio.toFixed(2)}:1)`;
  }
  const schedule = asObject(bar.schedule);
  const [startsAt, endsAt] = [
    Date.parse(String(schedule?.startsAt)),
    Date.parse(String(schedule?.endsAt)),
  ];
  if (!Number.isNaN(startsAt) && !Number.isNaN(endsAt) && endsAt <= startsAt)
    errors["schedule.endsAt"] = "The end must come after the start";
  if (bar.kind !== "free-shipping") return errors;
  const thresholds = Array.isArray(bar.thresholds) ? bar.thresholds : [];
  if (thresholds.length === 0)
    errors.thresholds = "Add a free-shipping threshold for at least one market";
  for (const [locale, message] of Object.entries(messages))
    if (typeof message === "string" && message.trim() && !message.includes(AMOUNT_PLACEHOLDER))
      errors[`messages.${locale}`] =
        `Include ${AMOUNT_PLACEHOLDER} where the remaining amount goes`;
  if (!(defaultLocale in reached))
    errors[`reachedMessages.${defaultLocale}`] = "Enter the message shown once shipping is free";
  const markets = new Set<string>();
  thresholds.forEach((entry, index) => {
    const row = asObject(entry);
    const countries =
      Array.isArray(row?.countries) && row.countries.length
        ? [...row.countries].sort().join(",")
        : "*";
    const market = `${countries}/${String(row?.currency)}`;
    if (markets.has(market))
      errors[`thresholds.${index}`] = "Two thresholds cover the same countries and currency";
    markets.add(market);
  });
  return errors;
}

/** Validates a bar a merchant submitted. Errors are keyed by field path, e.g. `colors.text`. */
export function validateBar(input: unknown, segments: SegmentOption[]): Validation<BarDefinition> {
  const parsed = BarDefinitionSchema.safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  for (const [path, message] of Object.entries(crossFieldErrors(input))) errors[path] ??= message;
  const requested = asObject(asObject(input)?.audience)?.segments;
  if (Array.isArray(requested)) {
    const known = new Map(segments.map((segment) => [segment.handle, segment]));
    requested.forEach((handle, index) => {
      const segment = known.get(String(handle));
      if (!segment) errors[`audience.segments.${index}`] = `There is no segment "${handle}"`;
      else if (!segment.tagEnabled)
        errors[`audience.segments.${index}`] =
          `Turn on tagging for "${segment.name}" first: the storefront recognises segments by their tag`;
    });
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: normalizeBar(parsed.data) };
}

/** One spelling per instant (`2026-05-01T09:30:00.000Z`), however the date was written. */
const canonicalDate = (value: string | null) => (value ? new Date(value).toISOString() : null);

function normalizeBar(bar: BarDefinition): BarDefinition {
  const unique = (values: string[]) => [...new Set(values)];
  return {
    ...bar,
    schedule: {
      startsAt: canonicalDate(bar.schedule.startsAt),
      endsAt: canonicalDate(bar.schedule.endsAt),
    },
    reachedMessages: bar.kind === "free-shipping" ? bar.reachedMessages : {},
    thresholds: bar.kind === "free-shipping" ? bar.thresholds : [],
    holdout: normalHoldout(bar),
    audience: {
      ...bar.audience,
      segments: unique(bar.audience.segments),
      countries: unique(bar.audience.countries),
    },
  };
}

export type BarHoldout = BarDefinition["holdout"];

/** Guests are never held out, so a bar for guests only has no holdout; no share, no place. */
function normalHoldout({ holdout, audience }: BarDefinition): BarHoldout {
  const percent = audience.visitors === "guests" ? 0 : holdout.percent;
  return percent === 0 ? { percent: 0, start: null, since: null } : { ...holdout, percent };
}

/**
 * The bar with its holdout placed among the other bars' (`others`: the shop's stored bars; the
 * bar itself, `id`, keeps its place when it still fits). `since` moves to `now` whenever the share
 * or the place changes: from then on a different set of customers is held out. Refused, with the
 * share that would fit, when the others leave no room: a customer is held out of one bar at most.
 */
export function withPlacedHoldout(
  bar: BarDefinition,
  id: string | null,
  others: readonly StoredBar[],
  now: Date,
): Validation<BarDefinition> {
  const stored = others.find((other) => other.id === id)?.config.holdout;
  const taken = others.filter((other) => other.id !== id).map((other) => other.config.holdout);
  const placed = placeHoldout(bar.holdout.percent, stored?.start ?? null, taken);
  if (placed.ok) {
    const kept =
      stored?.since && stored.percent === bar.holdout.percent && stored.start === placed.start;
    const since = placed.start === null ? null : kept ? stored.since : now.toISOString();
    return { ok: true, value: { ...bar, holdout: { ...bar.holdout, start: placed.start, since } } };
  }
  return {
    ok: false,
    errors: {
      "holdout.percent":
        placed.largestFree === 0
          ? "Your other bars' holdouts already cover every customer (a customer is held out of one bar at most): lower one of them first, or use 0 here"
          : `Your other bars' holdouts leave room for ${placed.largestFree} % here (a customer is held out of one bar at most): use ${placed.largestFree} % or less, or lower another bar's holdout`,
    },
  };
}

/**
 * Whether two valid bars mean the same: equal once normalised, with the audience's segments as a
 * set (the editor lists them in its own order) and object keys in any order. So a bar stored
 * before dates were normalised (`2020-01-01T00:00:00Z`) is the same as the editor's
 * `2020-01-01T00:00:00.000Z`, and saving it unchanged writes nothing.
 */
export function sameBar(a: BarDefinition, b: BarDefinition): boolean {
  const canonical = (bar: BarDefinition) => {
    const normal = normalizeBar(bar);
    return canonicalJson({
      ...normal,
      audience: { ...normal.audience, segments: [...normal.audience.segments].sort() },
    });
  };
  return canonical(a) === canonical(b);
}

/** The part of a bar stored as JSON in `Bar.config` (name, enabled and priority are columns). */
export type BarConfig = Omit<BarDefinition, "name" | "enabled" | "priority">;

export function barConfig({
  name: _n,
  enabled: _e,
  priority: _p,
  ...config
}: BarDefinition): BarConfig {
  return config;
}

/** A stored bar: its columns plus the parsed config. */
export interface StoredBar {
  id: string;
  name: string;
  enabled: boolean;
  priority: number;
  config: BarConfig;
  createdAt: Date;
}

export const DEFAULT_BAR: BarDefinition = {
  name: "",
  enabled: true,
  priority: 10,
  kind: "message",
  defaultLocale: "en",
  messages: { en: "" },
  reachedMessages: {},
  link: "",
  colors: { background: "#1a1a1a", text: "#ffffff" },
  audience: { segments: [], countries: [], visitors: "everyone" },
  schedule: { startsAt: null, endsAt: null },
  thresholds: [],
  holdout: { percent: DEFAULT_HOLDOUT_PERCENT, start: null, since: null },
};
