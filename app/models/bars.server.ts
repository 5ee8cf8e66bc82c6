import prisma from "~/db.server";
import {
  barConfig,
  BarDefinitionSchema,
  sameBar,
  type BarDefinition,
  type StoredBar,
} from "~/domain/storefront/bars";

function toStoredBar(row: {
  id: string;
  name: string;
  enabled: boolean;
  priority: number;
  config: string;
  createdAt: Date;
}): StoredBar {
  // Bars are validated before every write, so a row that no longer parses is a bug worth
  // stopping for, not something to skip quietly.
  const parsed = BarDefinitionSchema.safeParse({
    ...JSON.parse(row.config),
    name: row.name,
    enabled: row.enabled,
    priority: row.priority,
  });
  if (!parsed.success)
    throw new Error(
      `Bar ${row.id} ("${row.name}") has an invalid stored config: ${parsed.error.message}`,
    );
  return { ...row, config: barConfig(parsed.data) };
}

export async function listBars(shop: string): Promise<StoredBar[]> {
  const rows = await prisma.bar.findMany({
    where: { shop },
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toStoredBar);
}

export async function findBar(shop: string, id: string): Promise<StoredBar | null> {
  const row = await prisma.bar.findFirst({ where: { shop, id } });
  return row ? toStoredBar(row) : null;
}

export async function countBars(shop: string) {
  return prisma.bar.count({ where: { shop } });
}

/** Stores a validated bar; `id` updates that bar of the shop (null when it does not exist). */
export async function saveBar(shop: string, bar: BarDefinition, id?: string) {
  const data = {
    name: bar.name,
    enabled: bar.enabled,
    priority: bar.priority,
    config: JSON.stringify(barConfig(bar)),
  };
  if (!id) return toStoredBar(await prisma.bar.create({ data: { shop, ...data } }));
  // Saving a bar as it is stored writes nothing (not even updatedAt).
  const current = await prisma.bar.findFirst({ where: { shop, id } });
  if (!current) return null;
  const stored = toStoredBar(current);
  if (
    sameBar(
      { ...stored.config, name: stored.name, enabled: stored.enabled, priority: stored.priority },
      bar,
    )
  )
    return stored;
  const { count } = await prisma.bar.updateMany({ where: { shop, id }, data });
  return count ? findBar(shop, id) : null;
}

export async function deleteBar(shop: string, id: string) {
  const { count } = await prisma.bar.deleteMany({ where: { shop, id } });
  return count > 0;
}

/** The switched-on bars of these shops, per shop (the schedule's boundary check reads them all). */
export async function enabledBarsByShop(shops: string[]): Promise<Map<string, StoredBar[]>> {
  const rows = await prisma.bar.findMany({
    where: { shop: { in: shops }, enabled: true },
    orderBy: [{ shop: "asc" }, { id: "asc" }],
  });
  const byShop = new Map<string, StoredBar[]>();
  for (const row of rows) byShop.set(row.shop, [...(byShop.get(row.shop) ?? []), toStoredBar(row)]);
  return byShop;
}
