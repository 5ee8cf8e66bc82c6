/** The shops' offline sessions: the tokens background work (sync, tags) calls Shopify with. */
import prisma from "~/db.server";

/** The shop's offline (background) session: what the gateway authenticates with. */
export async function findOfflineSession(shop: string) {
  return prisma.session.findFirst({
    where: { shop, isOnline: false },
    select: { accessToken: true, scope: true },
  });
}

/** Stores an offline session for a shop given its token (CLI `shops add`, the stand-in). */
export async function saveOfflineToken(shop: string, accessToken: string, scope: string) {
  const id = `offline_${shop}`;
  await prisma.session.upsert({
    where: { id },
    create: { id, shop, state: "", isOnline: false, scope, accessToken },
    update: { accessToken, scope },
  });
}
