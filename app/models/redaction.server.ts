import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { adjustSegmentSizes } from "./segment-sizes.server";

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
        select: { spentCents: true, orders: true },
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
    await redactInbox(tx, shop, customerId);
    const spent = customer?.spentCents ?? 0n;
    const orders = customer?.orders ?? 0;
    await adjustSegmentSizes(
      tx,
      shop,
      memberships.map(({ segmentId }) => ({
        segmentId,
        members: -1,
        revenueCents: -spent,
        orders: -orders,
      })),
      now.toISOString().slice(0, 10),
    );
  });
}

/** An order body's fields that identify its customer. */
const ORDER_CONTACT_FIELDS = [
  "customer",
  "email",
  "contact_email",
  "phone",
  "billing_address",
  "shipping_address",
];

/**
 * Deliveries not yet processed that name the redacted customer: one about the customer is
 * dropped (the customer is gone), an order keeps its body without the customer and their
 * contact details (the order is the shop's). Processed ones keep no body at all.
 */
async function redactInbox(tx: Prisma.TransactionClient, shop: string, customerId: string) {
  const numericId = customerId.split("/").pop()!;
  const candidates = await tx.webhookDelivery.findMany({
    where: { shop, status: { not: "done" }, payload: { contains: numericId } },
  });
  for (const delivery of candidates) {
    const body = JSON.parse(delivery.payload) as Record<string, unknown>;
    const customer = body.customer as { admin_graphql_api_id?: unknown } | null | undefined;
    const about =
      delivery.topic.startsWith("customer") &&
      (body.admin_graphql_api_id === customerId || body.customerId === customerId);
    if (about) await tx.webhookDelivery.delete({ where: { webhookId: delivery.webhookId } });
    else if (customer?.admin_graphql_api_id === customerId) {
      for (const field of ORDER_CONTACT_FIELDS) if (field in body) body[field] = null;
      await tx.webhookDelivery.update({
        where: { webhookId: delivery.webhookId },
        data: { payload: JSON.stringify(body) },
      });
    }
  }
}

/**
 * customers/data_request: every row the app holds about the customer, table by table (read from
 * the data model, like the redaction): their customer row, every row keyed by them, their orders'
 * line items, and deliveries not yet processed that name them.
 */
export async function customerRecords(shop: string, customerId: string) {
  const records: Record<string, unknown[]> = {};
  for (const model of models) {
    const names = new Set(model.fields.map((field) => field.name));
    if (!names.has("shop")) continue;
    const where =
      model.name === "Customer"
        ? { shop, id: customerId }
        : names.has("customerId")
          ? { shop, customerId }
          : null;
    if (!where) continue;
    const rows = await (delegate(model.name) as unknown as Finder).findMany({ where });
    if (rows.length) records[model.name] = rows;
  }
  const orderIds = (records.Order ?? []).map((order) => (order as { id: string }).id);
  if (orderIds.length)
    records.LineItem = await prisma.lineItem.findMany({
      where: { shop, orderId: { in: orderIds } },
    });
  const numericId = customerId.split("/").pop()!;
  const unprocessed = await prisma.webhookDelivery.findMany({
    where: { shop, status: { not: "done" }, payload: { contains: numericId } },
  });
  if (unprocessed.length) records.WebhookDelivery = unprocessed;
  return records;
}

type Finder = { findMany(args: { where: Record<string, unknown> }): Promise<unknown[]> };
