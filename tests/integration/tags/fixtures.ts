// Rows a tags test needs, written directly (as sync and the segment recompute would leave them).
import prisma from "~/db.server";

export const customerGid = (n: number) => `gid://shopify/Customer/${n}`;

export async function createCustomers(
  shop: string,
  customers: { n: number; tags?: string[]; emailMarketingState?: string }[],
) {
  const now = new Date("2026-01-01T00:00:00Z");
  await prisma.customer.createMany({
    data: customers.map((c) => ({
      shop,
      id: customerGid(c.n),
      createdAt: now,
      updatedAt: now,
      tags: (c.tags ?? []).join(", "),
      emailMarketingState: c.emailMarketingState ?? "NOT_SUBSCRIBED",
    })),
  });
}

export async function createSegment(shop: string, handle: string, tagEnabled = true) {
  return prisma.segment.create({
    data: { shop, handle, name: handle.replace(/-/g, " "), kind: "lifecycle", tagEnabled },
  });
}

/** Sets a segment's members as a recompute would: leavers deleted, newcomers entered `at`. */
export async function setMembers(shop: string, segmentId: string, ns: number[], at = new Date()) {
  const ids = ns.map(customerGid);
  await prisma.segmentMember.deleteMany({ where: { segmentId, customerId: { notIn: ids } } });
  const existing = new Set(
    (
      await prisma.segmentMember.findMany({ where: { segmentId }, select: { customerId: true } })
    ).map((m) => m.customerId),
  );
  const entering = ids.filter((id) => !existing.has(id));
  if (entering.length)
    await prisma.segmentMember.createMany({
      data: entering.map((customerId) => ({ shop, segmentId, customerId, enteredAt: at })),
    });
  await prisma.segment.update({ where: { id: segmentId }, data: { memberCount: ids.length } });
}

export async function ledgerOf(shop: string) {
  const rows = await prisma.tagLedger.findMany({
    where: { shop },
    orderBy: [{ customerId: "asc" }, { tag: "asc" }],
  });
  return rows.map(
    (row) => `${row.customerId.replace("gid://shopify/Customer/", "")} ${row.tag} ${row.state}`,
  );
}
