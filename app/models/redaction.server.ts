import { Prisma } from "@prisma/client";
import prisma from "~/db.server";

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
 * customers/redact: removes the customer and every row keyed by them. Rows that belong to the
 * shop rather than the customer (orders) lose only their link to the customer.
 */
export async function redactCustomer(shop: string, customerId: string) {
  for (const model of models) {
    const names = new Set(model.fields.map((field) => field.name));
    if (!names.has("shop")) continue;
    if (model.name === "Customer") {
      await delegate(model.name).deleteMany({ where: { shop, id: customerId } });
      continue;
    }
    const link = model.fields.find((field) => field.name === "customerId");
    if (!link) continue;
    if (link.isRequired) await delegate(model.name).deleteMany({ where: { shop, customerId } });
    else
      await delegate(model.name).updateMany({
        where: { shop, customerId },
        data: { customerId: null },
      });
  }
}
