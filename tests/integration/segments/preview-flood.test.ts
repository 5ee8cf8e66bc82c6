// A flood of rule previews from one shop (issue 16, item 9): a few run at once, the rest are
// refused at once with 429 and Retry-After (never a 500), and another shop's previews are not
// refused. Speed is measured in bench/, not asserted here.
import { describe, expect, it } from "vitest";
import { postgres } from "~/models/bulk-sql.server";
import { countForPreview, PreviewTimeoutError } from "~/models/segment-rules.server";
import { action as previewAction } from "~/routes/api.segments.preview";
import { action as newSegmentAction } from "~/routes/app.segments.new";
import { previewsRunningFor } from "~/segments/custom.server";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";

const PREVIEWS_PER_SHOP = 3;
const RULE = {
  or: [
    { field: "orders", op: ">=", value: 1, where: { within_days: 365 } },
    { field: "tags", op: "has_any", value: ["vip"] },
  ],
};

/** Customers 1-100 ordered; every seventh of all 200 is tagged vip. */
const isVip = (index: number) => index % 7 === 0;
const MATCHING = 100 + Array.from({ length: 100 }, (_, i) => i + 100).filter(isVip).length;

async function seededShop(label: string) {
  const shop = testShop(label);
  await storeOfflineSession(shop);
  await insertCustomers(
    shop,
    Array.from({ length: 200 }, (_, i) => ({
      id: customerGid(i + 1),
      tags: isVip(i) ? "vip" : "",
    })),
  );
  await insertOrders(
    shop,
    Array.from({ length: 100 }, (_, i) => ({
      id: orderGid(i + 1),
      customerId: customerGid(i + 1),
      processedAt: new Date(),
      totalCents: 1_000,
    })),
  );
  return shop;
}

async function postPreview(shop: string) {
  const signed = await adminRequest(shop, "/api/segments/preview");
  const request = new Request(signed.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rule: RULE }),
  });
  return responseOf(() => previewAction({ request, params: {}, context: {} }));
}

/** The highest number of previews seen running for the shop until `work` settles. */
async function watchRunning<T>(shop: string, work: Promise<T>) {
  let peak = 0;
  let done = false;
  const watching = (async () => {
    while (!done) {
      peak = Math.max(peak, previewsRunningFor(shop));
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const result = await work.finally(() => (done = true));
  await watching;
  return { result, peak };
}

describe("a flood of rule previews", () => {
  it("runs a few at once per shop, refuses the rest with 429, and leaves other shops alone", async () => {
    const flooding = await seededShop("preview-flood");
    const other = await seededShop("preview-other");
    const { result: responses, peak } = await watchRunning(
      flooding,
      Promise.all([
        Promise.all(Array.from({ length: 100 }, () => postPreview(flooding))),
        Promise.all(Array.from({ length: PREVIEWS_PER_SHOP }, () => postPreview(other))),
      ]),
    );
    const [flood, others] = responses;
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(PREVIEWS_PER_SHOP);
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    const refused = flood.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) expect(response.headers.get("Retry-After")).toBe("1");
    const expected = { count: MATCHING, total: 200 };
    for (const response of flood.filter((r) => r.status === 200))
      expect(await response.json()).toEqual(expected);
    expect(others.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await others[0].json()).toEqual(expected);
    expect(previewsRunningFor(flooding)).toBe(0);
  });

  it("answers the editor's preview intent with 429 too, keeping the shape the editor reads", async () => {
    const shop = await seededShop("preview-editor");
    const post = async () => {
      const signed = await adminRequest(shop, "/app/segments/new");
      const form = new FormData();
      form.set("intent", "preview");
      form.set("rule", JSON.stringify(RULE));
      const request = new Request(signed.url, { method: "POST", body: form });
      return responseOf(() => newSegmentAction({ request, params: {}, context: {} }));
    };
    const responses = await Promise.all(Array.from({ length: 30 }, post));
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(await refused[0].json()).toEqual({
      intent: "preview",
      ok: false,
      busy: true,
      retryAfterSeconds: 1,
      problems: [],
    });
  });

  it.runIf(postgres)("PostgreSQL cancels a preview count at its time bound", async () => {
    const shop = await seededShop("preview-timeout");
    await expect(
      countForPreview(shop, { sql: "pg_sleep(1) IS NOT NULL", params: [] }, 50),
    ).rejects.toBeInstanceOf(PreviewTimeoutError);
  });
});
