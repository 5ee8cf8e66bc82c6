import { z } from "zod";
import { checkTagPrefix } from "./tags/tag-name";

/** Per-shop settings (PRODUCT.md §4–5). Stored as JSON on the shop; defaults fill any gap. */
export const ShopSettingsSchema = z.object({
  tagPrefix: z
    .string()
    .default("seg-")
    .superRefine((prefix, context) => {
      const check = checkTagPrefix(prefix);
      if (!check.ok) context.addIssue({ code: "custom", message: check.error });
    }),
  newBuyerDays: z.number().int().min(1).max(3650).default(30),
  lapsedDays: z.number().int().min(1).max(3650).default(90),
  vipPercentile: z.number().min(0.5).max(0.999).default(0.9),
  discountSeekerShare: z.number().gt(0).max(1).default(0.5),
  // Built-in prediction segments (PRODUCT.md §9).
  likelyToBuyOrders90d: z.number().gt(0).max(100).default(0.5),
  slippingAwayOverdueDays: z.number().int().min(1).max(3650).default(30),
  slippingAwayMinChance: z.number().min(0).max(1).default(0.2),
});

export type ShopSettings = z.infer<typeof ShopSettingsSchema>;

export const DEFAULT_SHOP_SETTINGS: ShopSettings = ShopSettingsSchema.parse({});

/** Parses stored settings; unknown keys are dropped and invalid values fall back to defaults. */
export function parseShopSettings(json: string): ShopSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const candidate = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(ShopSettingsSchema.shape)) {
    const value = field.safeParse(candidate[key]);
    settings[key] = value.success
      ? value.data
      : (DEFAULT_SHOP_SETTINGS as Record<string, unknown>)[key];
  }
  return settings as ShopSettings;
}

export function sameSettings(a: ShopSettings, b: ShopSettings) {
  return (Object.keys(ShopSettingsSchema.shape) as (keyof ShopSettings)[]).every(
    (key) => a[key] === b[key],
  );
}

/** Shares are edited as percentages; both directions drop binary noise (0.29 × 100, 99.9 / 100). */
const decimal = (value: number) => Number(value.toPrecision(12));

/** The Settings form's fields showing stored settings, exactly (a share of 0.875 is 87.5 %). */
export function settingsFormFields(settings: ShopSettings) {
  return {
    tagPrefix: settings.tagPrefix,
    newBuyerDays: String(settings.newBuyerDays),
    lapsedDays: String(settings.lapsedDays),
    vipPercentile: String(decimal(settings.vipPercentile * 100)),
    discountSeekerShare: String(decimal(settings.discountSeekerShare * 100)),
    likelyToBuyOrders90d: String(settings.likelyToBuyOrders90d),
    slippingAwayOverdueDays: String(settings.slippingAwayOverdueDays),
    slippingAwayMinChance: String(decimal(settings.slippingAwayMinChance * 100)),
  } satisfies Record<keyof ShopSettings, string>;
}

/**
 * The submitted Settings form as a settings candidate (for ShopSettingsSchema), the inverse of
 * settingsFormFields: saving the fields as shown gives back the settings they show. A field the
 * form did not send (null) is left out, so the stored value stays; an empty one is refused.
 */
export function settingsFromForm(field: (name: keyof ShopSettings) => unknown) {
  const text = (name: keyof ShopSettings) => String(field(name) ?? "");
  const number = (name: keyof ShopSettings) => (text(name).trim() ? Number(text(name)) : NaN);
  const share = (name: keyof ShopSettings) => decimal(number(name) / 100);
  const candidate: Record<keyof ShopSettings, string | number> = {
    tagPrefix: text("tagPrefix"),
    newBuyerDays: number("newBuyerDays"),
    lapsedDays: number("lapsedDays"),
    vipPercentile: share("vipPercentile"),
    discountSeekerShare: share("discountSeekerShare"),
    likelyToBuyOrders90d: number("likelyToBuyOrders90d"),
    slippingAwayOverdueDays: number("slippingAwayOverdueDays"),
    slippingAwayMinChance: share("slippingAwayMinChance"),
  };
  return Object.fromEntries(
    Object.entries(candidate).filter(([name]) => field(name as keyof ShopSettings) != null),
  ) as Partial<Record<keyof ShopSettings, string | number>>;
}
