// The Settings form through its route action: a rejected value comes back as a field error in
// the form's own units (percent, days), with a 400 and nothing stored; a valid one is saved.
import { describe, expect, it } from "vitest";
import { getShopSettings } from "~/models/shop.server";
import { action } from "~/routes/app.settings";
import { adminRequest, installedShop, storeOfflineSession } from "../../support/shopify-requests";

const VALID = {
  intent: "save",
  tagPrefix: "seg-",
  newBuyerDays: "30",
  lapsedDays: "90",
  vipPercentile: "90",
  discountSeekerShare: "50",
};

async function post(shop: string, fields: Record<string, string>) {
  await storeOfflineSession(shop);
  const signed = await adminRequest(shop, "/app/settings");
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const result: unknown = await action({
    request: new Request(signed.url, { method: "POST", body }),
    params: {},
    context: {},
  });
  if (result instanceof Response)
    return { status: result.status, data: (await result.json()) as Record<string, unknown> };
  return { status: 200, data: result as Record<string, unknown> };
}

describe("Settings form", () => {
  it("explains refused percentages and days in the form's units, storing nothing", async () => {
    const shop = await installedShop("settings-form");
    const before = await getShopSettings(shop);
    const refused = await post(shop, {
      ...VALID,
      vipPercentile: "100",
      discountSeekerShare: "150",
      newBuyerDays: "abc",
      lapsedDays: "0",
    });
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({
      saved: false,
      errors: {
        vipPercentile: "Enter a value between 50 and 99.9",
        discountSeekerShare: "Enter a value between 0 and 100 (more than 0)",
        newBuyerDays: "Enter a whole number of days between 1 and 3,650",
        lapsedDays: "Enter a whole number of days between 1 and 3,650",
      },
    });
    // Nothing about databases, schemas or fractions.
    expect(JSON.stringify(refused.data)).not.toMatch(/0\.999|<=|database|prisma|Expected/i);
    expect(await getShopSettings(shop)).toEqual(before);
  });

  it("saves valid settings", async () => {
    const shop = await installedShop("settings-form");
    const saved = await post(shop, { ...VALID, vipPercentile: "95", newBuyerDays: "14" });
    expect(saved).toEqual({ status: 200, data: { saved: true, errors: {} } });
    expect(await getShopSettings(shop)).toMatchObject({ vipPercentile: 0.95, newBuyerDays: 14 });
  });
});
