/** Per resource, the updatedAt up to which the shop's copy is known to be complete. */
import prisma from "~/db.server";

export async function getSyncCursor(shop: string, resource: string) {
  const row = await prisma.syncCursor.findUnique({
    where: { shop_resource: { shop, resource } },
  });
  return row?.updatedAt ?? null;
}

export async function setSyncCursor(shop: string, resource: string, updatedAt: Date) {
  await prisma.syncCursor.upsert({
    where: { shop_resource: { shop, resource } },
    create: { shop, resource, updatedAt },
    update: { updatedAt },
  });
}
