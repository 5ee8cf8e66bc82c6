import { describe, expect, it } from "vitest";
import {
  DEFAULT_SHOP_SETTINGS,
  sameSettings,
  settingsFormFields,
  settingsFromForm,
  ShopSettingsSchema,
  type ShopSettings,
} from "~/domain/settings";

/** What the Settings page sends back when the merchant saves the fields as shown. */
const resubmit = (settings: ShopSettings) => {
  const fields = settingsFormFields(settings);
  return ShopSettingsSchema.safeParse(settingsFromForm((name) => fields[name]));
};

describe("settings form", () => {
  it("shows shares as percentages and reads back exactly what it showed", () => {
    for (const settings of [
      DEFAULT_SHOP_SETTINGS,
      { ...DEFAULT_SHOP_SETTINGS, vipPercentile: 0.999, discountSeekerShare: 0.375 },
      { ...DEFAULT_SHOP_SETTINGS, vipPercentile: 0.875, discountSeekerShare: 0.29 },
      { ...DEFAULT_SHOP_SETTINGS, vipPercentile: 0.57, discountSeekerShare: 0.07 },
    ]) {
      const result = resubmit(settings);
      expect(result.success && sameSettings(result.data, settings), JSON.stringify(settings)).toBe(
        true,
      );
    }
    expect(
      settingsFormFields({
        ...DEFAULT_SHOP_SETTINGS,
        vipPercentile: 0.999,
        discountSeekerShare: 0.29,
      }),
    ).toMatchObject({ vipPercentile: "99.9", discountSeekerShare: "29" });
  });

  it("reads the prediction thresholds back as shown, and keeps a field the form did not send", () => {
    const settings = {
      ...DEFAULT_SHOP_SETTINGS,
      likelyToBuyOrders90d: 0.75,
      slippingAwayOverdueDays: 45,
      slippingAwayMinChance: 0.125,
    };
    expect(settingsFormFields(settings)).toMatchObject({
      likelyToBuyOrders90d: "0.75",
      slippingAwayOverdueDays: "45",
      slippingAwayMinChance: "12.5",
    });
    const result = resubmit(settings);
    expect(result.success && sameSettings(result.data, settings)).toBe(true);
    const fields = settingsFormFields(settings) as Record<string, string>;
    const partial = settingsFromForm((name) =>
      name === "slippingAwayMinChance" ? null : fields[name],
    );
    expect(partial).not.toHaveProperty("slippingAwayMinChance");
    // An emptied field is refused, not read as 0.
    const emptied = settingsFromForm((name) =>
      name === "slippingAwayMinChance" ? "" : fields[name],
    );
    expect(ShopSettingsSchema.safeParse(emptied).success).toBe(false);
  });

  it("still refuses what the merchant typed wrong", () => {
    const result = ShopSettingsSchema.safeParse(
      settingsFromForm(
        (name) => ({ ...settingsFormFields(DEFAULT_SHOP_SETTINGS), vipPercentile: "100" })[name],
      ),
    );
    expect(result.success).toBe(false);
    expect(sameSettings(DEFAULT_SHOP_SETTINGS, { ...DEFAULT_SHOP_SETTINGS, lapsedDays: 91 })).toBe(
      false,
    );
  });
});
