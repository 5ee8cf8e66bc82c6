// The app's web pixel as Shopify keeps it: one per app and shop, created with `webPixelCreate` and
// changed with `webPixelUpdate`, its settings checked against the `[settings]` the extension
// declares (extensions/persegment-pixel/shopify.extension.toml; a test in the project checks the
// two agree). Settings arrive as a JSON scalar: a JSON-encoded string (as Shopify's examples send
// them) or an object.

/** A declared settings field: Shopify's web pixel settings are single-line text. */
export interface WebPixelSettingField {
  type: "single_line_text_field";
  /** The `min` validation: the fewest characters. */
  min?: number;
}

export const APP_WEB_PIXEL_SETTINGS: Record<string, WebPixelSettingField> = {
  collectorUrl: { type: "single_line_text_field", min: 1 },
};

export interface WebPixelRecord {
  id: number;
  settings: Record<string, string>;
}

type WebPixelError = {
  field: string[];
  message: string;
  code: "INVALID_CONFIGURATION_JSON" | "INVALID_SETTINGS";
};

/** The settings as stored, or what Shopify would answer in `userErrors`. */
export function readWebPixelSettings(
  input: unknown,
): { ok: true; settings: Record<string, string> } | { ok: false; error: WebPixelError } {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return {
        ok: false,
        error: {
          field: ["webPixel", "settings"],
          message: "The provided settings is not a valid JSON.",
          code: "INVALID_CONFIGURATION_JSON",
        },
      };
    }
  }
  const invalid = {
    ok: false as const,
    error: {
      field: ["webPixel", "settings"],
      message: "The provided settings does not match the expected settings definition on the app.",
      code: "INVALID_SETTINGS" as const,
    },
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return invalid;
  const entries = Object.entries(value);
  const declared = Object.entries(APP_WEB_PIXEL_SETTINGS);
  if (entries.some(([key]) => !(key in APP_WEB_PIXEL_SETTINGS))) return invalid;
  for (const [key, field] of declared) {
    const given = (value as Record<string, unknown>)[key];
    if (typeof given !== "string" || given.length < (field.min ?? 0)) return invalid;
  }
  return { ok: true, settings: value as Record<string, string> };
}
