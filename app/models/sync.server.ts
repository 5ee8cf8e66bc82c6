import prisma from "~/db.server";

/** The shop's offline (background) session: what the gateway authenticates with. */
export async function findOfflineSession(shop: string) {
  return prisma.session.findFirst({
    where: { shop, isOnline: false },
    select: { accessToken: true, scope: true },
  });
}
