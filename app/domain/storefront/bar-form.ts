import { AMOUNT_PLACEHOLDER, type BarDefinition } from "./bars";

/**
 * The bar editor's form fields, as flat strings, and their conversion to a bar candidate (which
 * validateBar then checks). Kept apart from the route so both directions are unit-tested.
 */

/** Languages the editor offers a message field for. */
export const FORM_LOCALES = ["en", "de", "fr", "es"] as const;

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

/** `2026-05-01T09:30` from a datetime-local field, read as UTC. */
function utcDate(text: string | undefined): string | null {
  if (!text?.trim()) return null;
  const value = /Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`;
  return Number.isNaN(Date.parse(value)) ? text : new Date(value).toISOString();
}

export function barFromForm(fields: BarFormFields, segmentHandles: string[]): unknown {
  const byLocale = (prefix: string) =>
    Object.fromEntries(
      FORM_LOCALES.map((locale) => [locale, (fields[`${prefix}.${locale}`] ?? "").trim()]).filter(
        ([, text]) => text,
      ),
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
      segments: segmentHandles,
      countries: list(fields.countries).map((code) => code.toUpperCase()),
      visitors: fields.visitors,
    },
    schedule: { startsAt: utcDate(fields.startsAt), endsAt: utcDate(fields.endsAt) },
    thresholds,
  };
}

/** Form fields showing a stored bar (or the defaults for a new one). */
export function formFromBar(bar: BarDefinition): BarFormFields {
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
    startsAt: bar.schedule.startsAt?.slice(0, 16) ?? "",
    endsAt: bar.schedule.endsAt?.slice(0, 16) ?? "",
  };
  for (const locale of FORM_LOCALES) {
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
