import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall, updateShopSettings } from "~/models/shop.server";
import { markWritten, writeTransitions } from "~/models/tag-ledger.server";
import { planShopTags } from "~/tags/apply.server";
import { recordTagEcho } from "~/tags/echo.server";
import { setTagging } from "~/tags/setup.server";
import { TagSetupError } from "~/tags/shopify-segments.server";
import { testShop } from "../../support/shopify-requests";
import { createCustomers, createSegment, customerGid, ledgerOf, setMembers } from "./fixtures";

async function applyPlanLocally(shop: string, now: Date) {
  const { plan } = await planShopTags(shop);
  await writeTransitions(shop, plan.transitions, now);
  await markWritten(
    shop,
    plan.changes.map((c) => ({ customerId: c.customerId, added: c.add, removed: c.remove })),
    now,
  );
  return plan;
}

describe("tag ledger and planning from the database", () => {
  it("plans tags for members of tagged segments only, leaving merchant tags out of the ledger", async () => {
    const shop = testShop("tags-plan");
    await recordInstall(shop, "");
    await createCustomers(shop, [{ n: 1 }, { n: 2, tags: ["SEG-VIP", "wholesale"] }, { n: 3 }]);
    const vip = await createSegment(shop, "vip");
    const quiet = await createSegment(shop, "repeat", false);
    await setMembers(shop, vip.id, [1, 2]);
    await setMembers(shop, quiet.id, [1, 3]);

    const { plan } = await planShopTags(shop);
    expect(plan.changes).toEqual([{ customerId: customerGid(1), add: ["seg-vip"], remove: [] }]);
    expect(plan.merchantOwned).toBe(1);

    await applyPlanLocally(shop, new Date());
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip applied"]);
    const row = await prisma.tagLedger.findFirstOrThrow({ where: { shop } });
    expect(row).toMatchObject({ segmentId: vip.id, reason: "segment vip (lifecycle)" });
    expect(row.addedAt).toBeInstanceOf(Date);
    expect((await planShopTags(shop)).plan.changes).toEqual([]);
  });

  it("moves tags when the prefix changes and removes them when tagging is turned off", async () => {
    const shop = testShop("tags-prefix");
    await recordInstall(shop, "");
    await createCustomers(shop, [{ n: 1 }]);
    const vip = await createSegment(shop, "vip");
    await setMembers(shop, vip.id, [1]);
    await applyPlanLocally(shop, new Date());

    await updateShopSettings(shop, { tagPrefix: "ps-" });
    const { plan } = await planShopTags(shop);
    expect(plan.changes).toEqual([
      { customerId: customerGid(1), add: ["ps-vip"], remove: ["seg-vip"] },
    ]);
    await applyPlanLocally(shop, new Date());

    await setTagging(shop, vip.id, false);
    expect((await planShopTags(shop)).plan.changes).toEqual([
      { customerId: customerGid(1), add: [], remove: ["ps-vip"] },
    ]);
  });

  it("refuses to turn tagging on when the tag would break Shopify's rules, changing nothing", async () => {
    const shop = testShop("tags-invalid");
    await recordInstall(shop, "");
    const long = await createSegment(shop, "x".repeat(260), false);
    await expect(setTagging(shop, long.id, true)).rejects.toThrow(TagSetupError);
    await expect(setTagging(shop, long.id, true)).rejects.toThrow(/Shopify allows at most 255/);
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: long.id } })).tagEnabled).toBe(
      false,
    );
  });

  it("treats its own writes coming back as echoes, and records a merchant removal without fighting it", async () => {
    const shop = testShop("tags-echo");
    await recordInstall(shop, "");
    await createCustomers(shop, [{ n: 1 }]);
    const vip = await createSegment(shop, "vip");
    const entered = new Date(Date.now() - 60_000);
    await setMembers(shop, vip.id, [1], entered);
    const appliedAt = new Date(Date.now() - 30_000);
    await applyPlanLocally(shop, appliedAt);

    // The echo of the app's own tagsAdd (happened just before it was marked applied).
    const echo = await recordTagEcho(shop, {
      customerId: customerGid(1),
      added: ["seg-vip"],
      occurredAt: new Date(appliedAt.getTime() - 100),
    });
    expect(echo).toEqual({ appTagsOnly: true, merchantRemoved: [], merchantReadded: 0 });
    // A stale customers/update from before the add does not count as a merchant removal.
    const stale = await recordTagEcho(shop, {
      customerId: customerGid(1),
      currentTags: "wholesale",
      occurredAt: new Date(appliedAt.getTime() - 5_000),
    });
    expect(stale.merchantRemoved).toEqual([]);
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip applied"]);
    // A merchant's own tag is not an echo.
    expect(
      (
        await recordTagEcho(shop, {
          customerId: customerGid(1),
          added: ["gift"],
          occurredAt: new Date(),
        })
      ).appTagsOnly,
    ).toBe(false);

    // The merchant removes the app tag by hand (seen as customers/update without it).
    const removal = await recordTagEcho(shop, {
      customerId: customerGid(1),
      currentTags: "wholesale",
      occurredAt: new Date(),
    });
    expect(removal).toEqual({
      appTagsOnly: false,
      merchantRemoved: ["seg-vip"],
      merchantReadded: 0,
    });
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip merchant-removed"]);
    const kept = (await planShopTags(shop)).plan;
    expect(kept.changes).toEqual([]);
    expect(kept.merchantRemovedKept).toBe(1);

    // Leaving settles it; entering anew tags the customer again.
    await setMembers(shop, vip.id, []);
    await applyPlanLocally(shop, new Date());
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip removed"]);
    await setMembers(shop, vip.id, [1], new Date(Date.now() + 1000));
    expect((await planShopTags(shop)).plan.changes).toEqual([
      { customerId: customerGid(1), add: ["seg-vip"], remove: [] },
    ]);
  });

  it("re-adds after a merchant removal when the customer re-entered between two runs", async () => {
    const shop = testShop("tags-reenter");
    await recordInstall(shop, "");
    await createCustomers(shop, [{ n: 1 }]);
    const vip = await createSegment(shop, "vip");
    await setMembers(shop, vip.id, [1], new Date(Date.now() - 60_000));
    await applyPlanLocally(shop, new Date(Date.now() - 50_000));
    await recordTagEcho(shop, {
      customerId: customerGid(1),
      removed: ["seg-vip"],
      occurredAt: new Date(Date.now() - 40_000),
    });
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip merchant-removed"]);
    await setMembers(shop, vip.id, []);
    await setMembers(shop, vip.id, [1], new Date());
    expect((await planShopTags(shop)).plan.changes).toEqual([
      { customerId: customerGid(1), add: ["seg-vip"], remove: [] },
    ]);
  });

  it("hands a tag back to the merchant who re-adds it after the app removed it", async () => {
    const shop = testShop("tags-readd");
    await recordInstall(shop, "");
    await createCustomers(shop, [{ n: 1 }]);
    const vip = await createSegment(shop, "vip");
    await setMembers(shop, vip.id, [1], new Date(Date.now() - 60_000));
    await applyPlanLocally(shop, new Date(Date.now() - 50_000));
    await setMembers(shop, vip.id, []);
    const removedAt = new Date(Date.now() - 40_000);
    await applyPlanLocally(shop, removedAt);
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip removed"]);

    // The echo of the app's own earlier add, arriving late, does not count as a re-add.
    const stale = await recordTagEcho(shop, {
      customerId: customerGid(1),
      added: ["seg-vip"],
      occurredAt: new Date(removedAt.getTime() - 5_000),
    });
    expect(stale.merchantReadded).toBe(0);
    expect(await ledgerOf(shop)).toEqual(["1 seg-vip removed"]);

    const readd = await recordTagEcho(shop, {
      customerId: customerGid(1),
      added: ["seg-vip"],
      occurredAt: new Date(),
    });
    expect(readd).toEqual({ appTagsOnly: false, merchantRemoved: [], merchantReadded: 1 });
    expect(await ledgerOf(shop)).toEqual([]);
    // Sync stored the merchant's tag; when the customer enters and leaves again, it stays theirs.
    await prisma.customer.update({
      where: { shop_id: { shop, id: customerGid(1) } },
      data: { tags: "seg-vip" },
    });
    await setMembers(shop, vip.id, [1], new Date());
    const entered = (await planShopTags(shop)).plan;
    expect(entered.changes).toEqual([]);
    expect(entered.merchantOwned).toBe(1);
    await setMembers(shop, vip.id, []);
    expect((await planShopTags(shop)).plan.changes).toEqual([]);
  });
});
