import prisma from "~/db.server";
import type { DetectedAddOn } from "~/domain/upsell/add-ons";
import type { Evaluation } from "~/domain/upsell/evaluation";

/** "exclude": never in any upsell list; "keep": a detected add-on the merchant says is not one. */
export type UpsellProductChoice = "exclude" | "keep";

export async function loadProductChoices(shop: string) {
  const rows = await prisma.upsellProductChoice.findMany({ where: { shop } });
  return new Map(rows.map((row) => [row.productId, row.choice as UpsellProductChoice]));
}

/** Records the merchant's choice for a product; null forgets it (detection decides again). */
export async function saveProductChoice(
  shop: string,
  productId: string,
  choice: UpsellProductChoice | null,
) {
  if (choice === null) {
    await prisma.upsellProductChoice.deleteMany({ where: { shop, productId } });
    return;
  }
  await prisma.upsellProductChoice.upsert({
    where: { shop_productId: { shop, productId } },
    create: { shop, productId, choice },
    update: { choice, decidedAt: new Date() },
  });
}

/** The offline evaluation the admin shows, and the add-ons detected with it. */
export interface StoredQuality {
  /** Null when the shop had no orders before or since the cutoff. */
  evaluation: Evaluation | null;
  addOns: DetectedAddOn[];
  computedAt: Date;
  /** A merchant's choice changed the lists since: to be measured again. */
  changedAt: Date | null;
}

export async function saveEvaluation(
  shop: string,
  { cutoff, computedAt, evaluation, addOns }: Omit<StoredQuality, "changedAt"> & { cutoff: Date },
) {
  const data = {
    cutoff,
    computedAt,
    result: JSON.stringify({ evaluation, addOns }),
    changedAt: null,
  };
  await prisma.recommendationEvaluation.upsert({
    where: { shop },
    create: { shop, ...data },
    update: data,
  });
}

export async function loadEvaluation(shop: string): Promise<StoredQuality | null> {
  const row = await prisma.recommendationEvaluation.findUnique({ where: { shop } });
  if (!row) return null;
  const { evaluation, addOns } = JSON.parse(row.result) as Pick<
    StoredQuality,
    "evaluation" | "addOns"
  >;
  return {
    evaluation: evaluation && { ...evaluation, cutoff: new Date(evaluation.cutoff) },
    addOns,
    computedAt: row.computedAt,
    changedAt: row.changedAt,
  };
}

/** The stored evaluation stays on show, marked as measured before the merchant's change. */
export async function markEvaluationChanged(shop: string, at: Date) {
  await prisma.recommendationEvaluation.updateMany({ where: { shop }, data: { changedAt: at } });
}
