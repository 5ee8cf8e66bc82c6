// A rule the database refuses at run time fails alone (issue 16): the shop's other segments are
// computed, the failing segment keeps its members and says why, a webhook for the shop is still
// processed, and the error clears once the rule is fixed.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { RULE_FAILED_MESSAGE } from "~/domain/segments/rule-evaluation";
import { action } from "~/routes/webhooks";
import { saveCustomSegment } from "~/segments/custom.server";
import { listSegmentOverview, segmentDetail } from "~/segments/overview.server";
import { recomputeShop } from "~/segments/recompute.server";
import { responseOf } from "../../support/responses";
import { installedShop, orderWebhookPayload, webhookRequest } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";
import { processInboxes } from "../../support/pipeline";

/**
 * A valid rule reading the products table, evaluated while that table is out of reach (moved away
 * under another name): the database refuses the rule's statement, on SQLite and PostgreSQL alike,
 * and nothing else the shop's pipeline runs here reads that table.
 */
const RULE_READING_PRODUCTS = {
  field: "orders",
  op: ">=",
  value: 1,
  where: { product_types: ["Shirts"] },
};

async function withProductsTableAway(work: () => Promise<void>) {
  await prisma.$executeRawUnsafe('ALTER TABLE "Product" RENAME TO "ProductAway"');
  try {
    await work();
  } finally {
    await prisma.$executeRawUnsafe('ALTER TABLE "ProductAway" RENAME TO "Product"');
  }
}

const memberPage = { sort: "orders", direction: "desc", page: 1 } as const;

async function membersOf(shop: string, handle: string) {
  const segment = await prisma.segment.findUniqueOrThrow({
    where: { shop_handle: { shop, handle } },
  });
  const rows = await prisma.segmentMember.findMany({ where: { segmentId: segment.id } });
  return { segment, members: rows.map((row) => row.customerId).sort() };
}

async function saveRule(shop: string, name: string, rule: unknown, handle?: string) {
  const saved = await saveCustomSegment(shop, { name, rule }, handle);
  expect(saved).toMatchObject({ ok: true });
}

describe("a rule that fails at run time", () => {
  it("fails alone, keeps its members, is reported, and clears once fixed", async () => {
    const shop = await installedShop("rule-isolation");
    const now = new Date();
    await insertCustomers(shop, [
      { id: customerGid(1), tags: "vip" },
      { id: customerGid(2), tags: "regular" },
      { id: customerGid(3), tags: "regular" },
    ]);
    await insertOrders(shop, [
      { id: orderGid(10), customerId: customerGid(1), processedAt: now, totalCents: 1000 },
    ]);
    await recomputeShop(shop, { asOf: new Date(now.getTime() - 60_000) });
    await saveRule(shop, "Tagged VIP", { field: "tags", op: "has_any", value: ["vip"] });
    await saveRule(shop, "Regulars", { field: "tags", op: "has_any", value: ["regular"] });
    await saveRule(shop, "Buyers", { field: "orders", op: ">=", value: 1 });
    expect((await membersOf(shop, "regulars")).members).toEqual([customerGid(2), customerGid(3)]);

    // The stored rule now reads products (changed behind the app's back, so not yet evaluated),
    // and customer 2 becomes a VIP.
    await prisma.segment.update({
      where: { shop_handle: { shop, handle: "regulars" } },
      data: { rule: JSON.stringify(RULE_READING_PRODUCTS) },
    });
    await prisma.customer.update({
      where: { shop_id: { shop, id: customerGid(2) } },
      data: { tags: "vip" },
    });

    let failedAt: Date | null = null;
    await withProductsTableAway(async () => {
      const result = await recomputeShop(shop);
      expect(result.failed).toEqual(["regulars"]);
      expect((await membersOf(shop, "tagged-vip")).members).toEqual([
        customerGid(1),
        customerGid(2),
      ]);
      const broken = await membersOf(shop, "regulars");
      expect(broken.members).toEqual([customerGid(2), customerGid(3)]);
      expect(broken.segment.evaluationError).toBe(RULE_FAILED_MESSAGE);
      failedAt = broken.segment.evaluationFailedAt;
      expect(failedAt).toBeInstanceOf(Date);
      // The segment list and page say so, in the merchant's words, not the database's.
      const listed = (await listSegmentOverview(shop)).segments.find(
        (segment) => segment.handle === "regulars",
      );
      const notice = { reason: RULE_FAILED_MESSAGE, since: failedAt!.toISOString() };
      expect(listed?.ruleNotice).toMatchObject(notice);
      const page = await segmentDetail(shop, "regulars", memberPage);
      expect(page?.ruleNotice).toMatchObject(notice);
      expect(page?.ruleNotice?.action).toMatch(/Edit the rule/);
      expect(JSON.stringify(page?.ruleNotice)).not.toMatch(/0x00|UTF8|LIKE|GLOB|SQL/);

      // A webhook for the shop is processed, and moves the working segments only.
      const response = await responseOf(() =>
        action({
          request: webhookRequest({
            topic: "orders/create",
            shop,
            payload: orderWebhookPayload(11, 3, new Date()),
          }),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(200);
      await processInboxes();
      const deliveries = await prisma.webhookDelivery.findMany({ where: { shop } });
      expect(deliveries.map((delivery) => delivery.status)).toEqual(["done"]);
      expect((await membersOf(shop, "buyers")).members).toEqual([customerGid(1), customerGid(3)]);
      const stillBroken = await membersOf(shop, "regulars");
      expect(stillBroken.members).toEqual([customerGid(2), customerGid(3)]);
      // Since the first failure, not the latest.
      expect(stillBroken.segment.evaluationFailedAt).toEqual(failedAt);
    });

    // Fixed in the editor: evaluated again, the error is gone.
    await saveRule(shop, "Regulars", { field: "tags", op: "has_any", value: ["vip"] }, "regulars");
    const fixed = await membersOf(shop, "regulars");
    expect(fixed.members).toEqual([customerGid(1), customerGid(2)]);
    expect(fixed.segment).toMatchObject({ evaluationError: null, evaluationFailedAt: null });
    expect((await segmentDetail(shop, "regulars", memberPage))?.ruleNotice).toBeNull();
  });
});
