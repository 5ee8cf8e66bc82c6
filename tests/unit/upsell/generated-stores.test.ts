// Must show 1 of issue 21 on generated stores shaped like the held-out shop (few orders per
// product, matching items bought together), trained on all but the last 90 days: the shipped
// recommender ahead of every baseline on hit@5, coverage within 2 points of the best. These
// seeds were not used to tune it (docs/benchmarks.md, "Upsell recommendations").
import { describe, expect, it } from "vitest";
import { evaluateRecommenders } from "~/domain/upsell/evaluation";
import { generateStore } from "@persegment/shopify-stand-in";
import { generatedBaskets, generatedCatalog } from "../../support/generated-baskets";

const NOW = new Date("2026-11-20T00:00:00Z");
const CUTOFF = new Date(NOW.getTime() - 90 * 86_400_000);

describe.each([1, 2, 3])("recommendations on generated store %i", (seed) => {
  const store = generateStore({
    customers: 5000,
    products: 1500,
    companionShare: 0.3,
    seed,
    now: NOW,
  });
  const evaluation = evaluateRecommenders(generatedBaskets(store), generatedCatalog(store), CUTOFF);
  const [shipped, ...baselines] = evaluation.methods;
  const hitAt5 = (method: (typeof evaluation.methods)[number]) =>
    method.hits.find((hit) => hit.k === 5)!.share;

  it("tests on enough pairs to tell methods apart", () => {
    expect(evaluation.pairs).toBeGreaterThan(2000);
  });

  it("puts the shipped recommender ahead of every baseline on hit@5", () => {
    expect(shipped.method).toBe("shipped");
    for (const baseline of baselines)
      expect(hitAt5(shipped), baseline.label).toBeGreaterThan(hitAt5(baseline));
  });

  it("keeps its coverage within 2 points of the best, and lists ≥ 95 % of the products sold", () => {
    const best = Math.max(...evaluation.methods.map((method) => method.coverage));
    expect(shipped.coverage).toBeGreaterThanOrEqual(best - 0.02);
    expect(shipped.productsCovered).toBeGreaterThanOrEqual(0.95);
  });
});
