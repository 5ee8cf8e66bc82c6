import { AMOUNT_PLACEHOLDER, type BarDefinition } from "./bars";
import { utcToZoned, zonedToUtc } from "./schedule";

/**
 * The bar editor's form fields, as flat strings, and their conversion to a bar candidate (which
 * validateBar then checks). Kept apart from the route so both directions are unit-tested.
 */

/** A language of the shop (Shopify's `shopLocales`): its code, name, and whether it is primary. */
export interface ShopLocale {
  locale: string;
  name: string;
  primary: boolean;
}

/** A language the editor offers a message field for; `published: false` for a bar's leftover. */
export interface EditorLocale {
  locale: string;
  name: string;
  published: boolean;
}

/** A language's English name ("German" for de, "Portuguese (Brazil)" for pt-BR), else its code. */
export function localeName(locale: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/**
 * The message fields the editor shows: the bar's default language first (the shop's primary one
 * for a new bar), then the shop's other published languages, primary first, then any language the
 * bar still has a message in but the shop no longer publishes (so it can be seen and cleared).
 */
export function editorLocales(
  bar: Pick<BarDefinition, "defaultLocale" | "messages" | "reachedMessages">,
  published: readonly ShopLocale[],
): EditorLocale[] {
  const ordered = [...published].sort((a, b) => Number(b.primary) - Number(a.primary));
  const result: EditorLocale[] = ordered.map(({ locale, name }) => ({
    locale,
    name,
    published: true,
  }));
  for (const locale of [
    bar.defaultLocale,
    ...Object.keys(bar.messages),
    ...Object.keys(bar.reachedMessages),
  ])
    if (!result.some((entry) => entry.locale === locale))
      result.push({ locale, name: localeName(locale), published: false });
  const first = result.findIndex((entry) => entry.locale === bar.defaultLocale);
  return [result[first], ...result.filter((_, index) => index !== first)];
}

/** Market rows the editor shows for free-shipping thresholds. */
export const THRESHOLD_ROWS = 3;

export type BarFormFields = Record<string, string>;

/**
 * The editor's checkboxes. HTML sends a checked box (with whatever value it carries, which
 * React can leave empty) and leaves an unchecked one out, so these are read by presence.
 */
export const BAR_CHECKBOXES = ["enabled"] as const;

/**
 * A submitted editor form as fields: text fields as typed, a checkbox "on" when it was sent and
 * "" when not, and the segment checkboxes left to the caller (they repeat).
 */
export function fieldsFromSubmission(entries: Iterable<[string, unknown]>): BarFormFields {
  const fields: BarFormFields = {};
  for (const [name, value] of entries)
    if (typeof value === "string" && name !== "segments") fields[name] = value;
  for (const name of BAR_CHECKBOXES) fields[name] = name in fields ? "on" : "";
  return fields;
}

/** "50", "49.5" or "49.95" in major units to cents; NaN when it is not a plain amount. */
export function parseAmount(text: string): number {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

const list = (text: string | undefined) =>
  (text ?? "")
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * `2026-05-01T09:30` from a datetime-local field, read in the shop's time zone; an explicit
 * offset (`…Z`, `…+02:00`) is kept. Text that is no time at all goes on to validation as typed.
 */
function instantOf(text: string | undefined, timeZone: string): string | null {
  if (!text?.trim()) return null;
  if (/Z|[+-]\d\d:\d\d$/.test(text))
    return Number.isNaN(Date.parse(text)) ? text : new Date(text).toISOString();
  return zonedToUtc(text, timeZone) ?? text;
}

/** The submitted form as a bar candidate; schedule fields are wall-clock times in `timeZone`. */
export function barFromForm(
  fields: BarFormFields,
  segmentHandles: string[],
  timeZone = "UTC",
): unknown {
  const byLocale = (prefix: string) =>
    Object.fromEntries(
      Object.entries(fields)
        .filter(([name]) => name.startsWith(`${prefix}.`))
        .map(([name, text]) => [name.slice(prefix.length + 1), text.trim()])
        .filter(([, text]) => text),
    );
  const thresholds = Array.from({ length: THRESHOLD_ROWS }, (_, index) => ({
    countries: list(fields[`threshold.${index}.countries`]).map((code) => code.toUpperCase()),
    currency: (fields[`threshold.${index}.currency`] ?? "").trim().toUpperCase(),
    amount: (fields[`threshold.${index}.amount`] ?? "").trim(),
  }))
    .filter((row) => row.amount || row.currency || row.countries.length)
    .map(({ countries, currency, amount }) => ({
      countries,
      currency,
      amountCents: parseAmount(amount),
    }));
  return {
    name: fields.name ?? "",
    enabled: fields.enabled === "on" || fields.enabled === "true",
    priority: fields.priority?.trim() ? Number(fields.priority) : Number.NaN,
    kind: fields.kind,
    defaultLocale: fields.defaultLocale || "en",
    messages: byLocale("message"),
    reachedMessages: byLocale("reached"),
    link: fields.link ?? "",
    colors: { background: fields.background ?? "", text: fields.text ?? "" },
    audience: {
      segments: fields.segmentMode === "all" ? [] : segmentHandles,
      countries:
        fields.countryMode === "all"
          ? []
          : list(fields.countries).map((code) => code.toUpperCase()),
      visitors: fields.visitors,
    },
    schedule: {
      startsAt: instantOf(fields.startsAt, timeZone),
      endsAt: instantOf(fields.endsAt, timeZone),
    },
    thresholds,
    // Where the holdout sits is the app's to decide (withPlacedHoldout), not the form's.
    holdout: {
      percent: fields.holdoutPercent?.trim() ? Number(fields.holdoutPercent) : Number.NaN,
      start: null,
      since: null,
    },
  };
}

/**
 * Form fields showing a stored bar (or the defaults for a new one): a message field per editor
 * language, times as wall-clock times in the shop's time zone.
 */
export function formFromBar(
  bar: BarDefinition,
  locales: readonly { locale: string }[] = editorLocales(bar, []),
  timeZone = "UTC",
): BarFormFields {
  const fields: BarFormFields = {
    name: bar.name,
    enabled: bar.enabled ? "on" : "",
    priority: String(bar.priority),
    kind: bar.kind,
    defaultLocale: bar.defaultLocale,
    link: bar.link,
    background: bar.colors.background,
    text: bar.colors.text,
    countries: bar.audience.countries.join(", "),
    visitors: bar.audience.visitors,
    startsAt: bar.schedule.startsAt ? utcToZoned(bar.schedule.startsAt, timeZone) : "",
    endsAt: bar.schedule.endsAt ? utcToZoned(bar.schedule.endsAt, timeZone) : "",
    holdoutPercent: String(bar.holdout.percent),
  };
  for (const { locale } of locales) {
    fields[`message.${locale}`] = bar.messages[locale] ?? "";
    fields[`reached.${locale}`] = bar.reachedMessages[locale] ?? "";
  }
  for (let index = 0; index < THRESHOLD_ROWS; index++) {
    const row = bar.thresholds[index];
    fields[`threshold.${index}.countries`] = row?.countries.join(", ") ?? "";
    fields[`threshold.${index}.currency`] = row?.currency ?? "";
    fields[`threshold.${index}.amount`] = row ? (row.amountCents / 100).toFixed(2) : "";
  }
  return fields;
}

/**
 * What the form's choices ask for that the fields do not give: "only customers in these
 * segments" with none ticked, "only these countries" with none entered. (A bar without segments
 * or countries is for everyone, which the merchant did not choose.)
 */
export function formChoiceErrors(
  fields: BarFormFields,
  segmentHandles: string[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (fields.segmentMode === "segments" && segmentHandles.length === 0)
    errors.segments = "Choose at least one segment, or show the bar to every shopper";
  if (fields.countryMode === "some" && list(fields.countries).length === 0)
    errors.countries = "Enter at least one country code, or show the bar in every country";
  return errors;
}

/** Validation error paths (`messages.de`, `thresholds.1.amountCents`) to form field names. */
export function formFieldOf(path: string): string {
  const [head, second, third] = path.split(".");
  switch (head) {
    case "messages":
      return `message.${second ?? "en"}`;
    case "reachedMessages":
      return `reached.${second ?? "en"}`;
    case "colors":
      return second === "background" ? "background" : "text";
    case "audience":
      return second === "segments" ? "segments" : second === "countries" ? "countries" : "visitors";
    case "schedule":
      return second ?? "startsAt";
    case "holdout":
      return "holdoutPercent";
    case "thresholds":
      if (second === undefined) return "threshold.0.amount";
      return third === "amountCents" || third === undefined
        ? `threshold.${second}.amount`
        : `threshold.${second}.${third}`;
    default:
      return head;
  }
}

export const FREE_SHIPPING_HINT = `Write ${AMOUNT_PLACEHOLDER} where the remaining amount goes, e.g. "Only ${AMOUNT_PLACEHOLDER} to free shipping".`;
