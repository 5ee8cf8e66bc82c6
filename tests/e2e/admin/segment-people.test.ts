// A segment's people as a merchant sees them: the demo (the real pipeline on a stand-in store)
// runs the built app behind the local admin; Chromium opens a segment, reads customers' names
// (from Shopify, never stored), opens a customer's "why" panel and downloads the CSV.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { setUpDemoAdmin } from "../../support/demo-admin";

const e2e = setUpDemoAdmin({
  // A shop of its own: the e2e files share one database, and others edit the demo shop.
  shop: "persegment-demo-people.myshopify.com",
  customers: 300,
  liveOrdersPerSecond: 0,
});

function contactOf(gid: string) {
  const customer = e2e.demo.standIn.store.customers.get(Number(gid.split("/").pop()))!;
  return { name: `${customer.firstName} ${customer.lastName}`, email: customer.email };
}

describe("segment page people", () => {
  it("shows names linked to the admin, explains a member, and exports names and links", async () => {
    const segment = await prisma.segment.findFirstOrThrow({
      where: { shop: e2e.demo.shop, handle: "repeat" },
    });
    expect(segment.memberCount).toBeGreaterThan(0);
    // The page's first row (sorted by spend, highest first).
    const members = await prisma.segmentMember.findMany({ where: { segmentId: segment.id } });
    const { id: first } = await prisma.customer.findFirstOrThrow({
      where: { shop: e2e.demo.shop, id: { in: members.map((member) => member.customerId) } },
      orderBy: [{ spentCents: "desc" }, { id: "asc" }],
    });
    const numeric = first.split("/").pop()!;
    const contact = contactOf(first);

    const { page, app: frame } = await e2e.openAdmin("/app/segments/repeat", {
      acceptDownloads: true,
    });

    // The member's name, linked to the customer in the Shopify admin, and their email.
    const link = frame.getByRole("link", { name: contact.name, exact: true }).first();
    await link.waitFor({ timeout: 60_000 });
    expect(await link.getAttribute("href")).toBe(`shopify://admin/customers/${numeric}`);
    await expect
      .poll(() => frame.getByText(contact.email, { exact: true }).first().isVisible())
      .toBe(true);

    // The why panel: the values and the definition's condition, met.
    await frame
      .getByRole("link", { name: `Why is ${contact.name} here?` })
      .first()
      .click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText("Why in Repeat buyers").waitFor({ timeout: 30_000 });
    await expect.poll(() => dialog.getByText("Two or more counted orders").isVisible()).toBe(true);
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shop_id: { shop: e2e.demo.shop, id: first } },
    });
    expect(await dialog.innerText()).toContain(`This customer: ${customer.orders} counted orders`);
    expect(
      page.frames().some((f) => f.url().includes(`/app/segments/repeat/customers/${numeric}`)),
    ).toBe(true);
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await expect.poll(() => dialog.count()).toBe(0);

    // The CSV: every member with name, email and the admin URL.
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      frame.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe(
      "customer_id,name,email,admin_url,orders,spent,last_order_at,r,f,m,rfm_group,segments",
    );
    expect(csv).toHaveLength(segment.memberCount + 1);
    const store = e2e.demo.shop.replace(".myshopify.com", "");
    const row = csv.find((line) => line.startsWith(`${first},`))!;
    expect(row.split(",").slice(0, 4)).toEqual([
      first,
      contact.name,
      contact.email,
      `https://admin.shopify.com/store/${store}/customers/${numeric}`,
    ]);
    for (const line of csv.slice(1)) {
      const [id, name, email] = line.split(",");
      expect([name, email]).toEqual([contactOf(id).name, contactOf(id).email]);
    }
  });
});
