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
