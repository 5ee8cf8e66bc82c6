// The daily recompute re-ranks a whole shop once per UTC day. A webhook's incremental recompute
// (which writes today's segment sizes too) must not count as that day's recompute.
import { describe, expect, it } from "vitest";
import { recomputeIfDue, shopsDueForDailyRecompute } from "~/segments/jobs.server";
import { recomputeCustomers, recomputeShop } from "~/segments/recompute.server";
import { installedShop } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";

const DAY = 86_400_000;

describe("daily recompute", () => {
  it("runs once per UTC day, also on a day webhooks already recomputed some customers", async () => {
    const shop = await installedShop("daily-recompute");
    const now = new Date(Date.UTC(2026, 11, 7, 9));
    await insertCustomers(shop, [{ id: customerGid(1) }, { id: customerGid(2) }]);
    await insertOrders(shop, [
      {
        id: orderGid(10),
        customerId: customerGid(1),
        processedAt: new Date(now.getTime() - 3 * DAY),
        totalCents: 5_000,
      },
    ]);
    await recomputeShop(shop, { asOf: new Date(now.getTime() - DAY) });
    expect(await shopsDueForDailyRecompute(now)).toContain(shop);

    // This morning's webhook: customer 2's first order, recomputed alone.
    await insertOrders(shop, [
      { id: orderGid(20), customerId: customerGid(2), processedAt: now, totalCents: 2_000 },
    ]);
    await recomputeCustomers(shop, [customerGid(2)], { asOf: now });
    expect(await shopsDueForDailyRecompute(now)).toContain(shop);

    expect(await recomputeIfDue(shop, now)).toMatchObject({ shop, customers: 2 });
    expect(await shopsDueForDailyRecompute(now)).not.toContain(shop);
    expect(await recomputeIfDue(shop, new Date(now.getTime() + 3_600_000))).toBeNull();
    // The next day it is due again.
    expect(await shopsDueForDailyRecompute(new Date(now.getTime() + DAY))).toContain(shop);
  });
});
