// What the app holds about a shop, to check that nothing personal is kept.
import { Prisma } from "@prisma/client";
import prisma from "~/db.server";

/** Every row of the shop in every table, as text. */
export async function everythingHeldFor(shop: string) {
  const texts: string[] = [];
  for (const model of Prisma.dmmf.datamodel.models) {
    const column = model.fields.some((field) => field.name === "shop")
      ? "shop"
      : model.name === "Shop"
        ? "domain"
        : null;
    if (!column) continue;
    const key = model.name[0].toLowerCase() + model.name.slice(1);
    const finder = (
      prisma as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>
    )[key];
    for (const row of await finder.findMany({ where: { [column]: shop } }))
      texts.push(
        `${model.name} ${JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`,
      );
  }
  return texts;
}
