import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { adjustSegmentSizes } from "./segments.server";

type Delegate = {
  deleteMany(args: { where: Record<string, unknown> }): Promise<{ count: number }>;
  updateMany(args: {
    where: Record<string, unknown>;
    data: Record<string, unknown>;
  }): Promise<{ count: number }>;
};

function delegate(modelName: string, client: object = prisma) {
  const key = modelName[0].toLowerCase() + modelName.slice(1);
  return (client as Record<string, Delegate>)[key];
}

// Read from the generated data model, so a table added later is covered without touching this file.
const models = Prisma.dmmf.datamodel.models;

/** Tables whose rows are the shop's: a redacted customer's rows stay, without the link. */
const SHOP_OWNED = new Set(["Order"]);

/** shop/redact: removes every row the app holds for the shop, in every table. */
export async function redactShop(shop: string) {
  await prisma.$transaction(async (tx) => {
    for (const model of models) {
      const hasShop = model.fields.some((field) => field.name === "shop");
      const column = hasShop ? "shop" : model.name === "Shop" ? "domain" : null;
      if (column) await delegate(model.name, tx).deleteMany({ where: { [column]: shop } });
    }
  });
}

/**
 * customers/redact: removes the customer and every row keyed by them, in one transaction. Rows
 * that belong to the shop rather than the customer (orders) lose only their link to the
 * customer. The segments they were in shrink at once (size and today's history).
 */
export async function redactCustomer(shop: string, customerId: string, now = new Date()) {
  await prisma.$transaction(async (tx) => {
    const [memberships, customer] = await Promise.all([
      tx.segmentMember.findMany({ where: { shop, customerId }, select: { segmentId: true } }),
      tx.customer.findUnique({
        where: { shop_id: { shop, id: customerId } },
        select: { spentCents: true },
      }),
    ]);
    for (const model of models) {
      const names = new Set(model.fields.map((field) => field.name));
      if (!names.has("shop")) continue;
      if (model.name === "Customer") {
        await delegate(model.name, tx).deleteMany({ where: { shop, id: customerId } });
        continue;
      }
      if (!names.has("customerId")) continue;
      if (SHOP_OWNED.has(model.name))
        await delegate(model.name, tx).updateMany({
          where: { shop, customerId },
          data: { customerId: null },
        });
      else await delegate(model.name, tx).deleteMany({ where: { shop, customerId } });
    }
    const spent = customer?.spentCents ?? 0n;
    await adjustSegmentSizes(
      tx,
      shop,
      memberships.map(({ segmentId }) => ({ segmentId, members: -1, revenueCents: -spent })),
      now.toISOString().slice(0, 10),
    );
  });
}
