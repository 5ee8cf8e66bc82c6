// The merchant's view of predictions through the route modules: the Predictions page before and
// after a refit (method and why, the backtest table, totals, the segments on predictions), its
// card on the segments list, and the prediction thresholds saved from Settings.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getShopSettings } from "~/models/shop.server";
import { pipeline, startBackgroundWork } from "~/pipeline.server";
import { action as predictionsAction, loader as predictionsLoader } from "~/routes/app.predictions";
import { loader as segmentsLoader } from "~/routes/app.segments._index";
import { action as settingsAction } from "~/routes/app.settings";
import { recomputeShop } from "~/segments/recompute.server";
import { generateClockworkStore } from "../../support/predictions-store";
import { insertPurchaseStore } from "../../support/prediction-rows";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";

const DAY = 86_400_000;

async function seededShop(label: string) {
  const shop = testShop(label);
  const end = new Date();
  await insertPurchaseStore(
    shop,
    generateClockworkStore(300, new Date(end.getTime() - 500 * DAY), end),
    "America/Chicago",
  );
  await storeOfflineSession(shop);
  return shop;
}

async function post(shop: string, path: string, fields: Record<string, string>) {
  const signed = await adminRequest(shop, path);
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return new Request(signed.url, { method: "POST", body });
}

const load = async (shop: string) =>
  predictionsLoader({
    request: await adminRequest(shop, "/app/predictions"),
    params: {},
    context: {},
  });

describe("Predictions page", () => {
  it("offers the first refit, then shows the method, why, the backtest and the totals", async () => {
    const shop = await seededShop("predict-page");
    await recomputeShop(shop);
    const before = await load(shop);
    expect(before.fit).toBeNull();
    expect(before.segments.map((s) => s.handle)).toEqual(["likely-to-buy-soon", "slipping-away"]);

    const refit = await predictionsAction({
      request: await post(shop, "/app/predictions", { intent: "refit" }),
      params: {},
      context: {},
    });
    // The refit is a job: the page answers at once, the background work (started here, as the
    // server starts it) stores the fit.
    expect(refit).toEqual({
      message: "Refitting in the background; this page shows the new fit when it is done.",
    });
    await startBackgroundWork();
    try {
      await expect
        .poll(async () => (await load(shop)).fit?.customers, { timeout: 60_000 })
        .toBe(300);
    } finally {
      await pipeline().jobs.stop();
    }

    const after = await load(shop);
    expect(after.timeZone).toBe("America/Chicago");
    expect(after.fit).toMatchObject({
      method: "heuristic",
      customers: 300,
      timeZone: "America/Chicago",
    });
    expect(after.fit!.reasons.length).toBeGreaterThan(0);
    expect(after.fit!.backtest.rows.map((row) => row.method)).toEqual([
      "model",
      "baseline",
      "heuristic",
    ]);
    expect(after.fit!.backtest.rows[1].score?.actualTotal).toBeGreaterThan(0);
    expect(after.totals.customers).toBe(300);
    expect(after.totals.expectedOrders90d).toBeGreaterThan(0);
    const members = await prisma.segment.findFirstOrThrow({
      where: { shop, handle: "likely-to-buy-soon" },
    });
    expect(after.segments[0].members).toBe(members.memberCount);

    const list = await segmentsLoader({
      request: await adminRequest(shop, "/app/segments"),
      params: {},
      context: {},
    });
    expect(list.predictions).toMatchObject({
      method: "heuristic",
      customers: 300,
      reasons: after.fit!.reasons,
    });
    expect(list.segments.filter((s) => s.kind === "prediction").map((s) => s.handle)).toEqual([
      "likely-to-buy-soon",
      "slipping-away",
    ]);
  });

  it("refuses an unknown action", async () => {
    const shop = await seededShop("predict-page-bad");
    const refused = await responseOf(async () =>
      predictionsAction({
        request: await post(shop, "/app/predictions", { intent: "nope" }),
        params: {},
        context: {},
      }),
    );
    expect(refused.status).toBe(400);
    expect(await prisma.predictionFit.count({ where: { shop } })).toBe(0);
  });
});

describe("prediction thresholds in Settings", () => {
  it("saves them, refuses a bad one in the form's units and keeps what it did not send", async () => {
    const shop = await seededShop("predict-settings");
    const save = async (fields: Record<string, string>) => {
      const result = await settingsAction({
        request: await post(shop, "/app/settings", { intent: "save", ...fields }),
        params: {},
        context: {},
      });
      return result instanceof Response
        ? { status: result.status, data: await result.json() }
        : { status: 200, data: result };
    };
    expect(
      await save({
        likelyToBuyOrders90d: "0.8",
        slippingAwayOverdueDays: "21",
        slippingAwayMinChance: "15",
      }),
    ).toEqual({
      status: 200,
      data: { saved: true, errors: {} },
    });
    expect(await getShopSettings(shop)).toMatchObject({
      likelyToBuyOrders90d: 0.8,
      slippingAwayOverdueDays: 21,
      slippingAwayMinChance: 0.15,
      lapsedDays: 90,
    });
    const refused = await save({ likelyToBuyOrders90d: "0", slippingAwayMinChance: "" });
    expect(refused).toEqual({
      status: 400,
      data: {
        saved: false,
        errors: {
          likelyToBuyOrders90d: "Enter a number of orders above 0 and at most 100, such as 0.5",
          slippingAwayMinChance: "Enter a value between 0 and 100",
        },
      },
    });
    expect((await getShopSettings(shop)).likelyToBuyOrders90d).toBe(0.8);
    // The built-in segments describe the thresholds once recomputed.
    await recomputeShop(shop);
    const slipping = await prisma.segment.findFirstOrThrow({
      where: { shop, handle: "slipping-away" },
    });
    expect(slipping.description).toMatch(
      /at least 21 days past their usual interval, .* 15% or more/,
    );
  });
});
