/** Everything Persegment derives for one customer at an as-of instant. */
import type { ShopSettings } from "../settings";
import { lifecycleSegmentsFor, type LifecycleHandle } from "./lifecycle";
import {
  RfmPopulation,
  rfmGroupFor,
  type OrderAggregate,
  type RfmGroup,
  type RfmScores,
} from "./rfm";

export interface CustomerScore {
  aggregate: OrderAggregate;
  scores: RfmScores | null;
  rfmGroup: RfmGroup;
  lifecycle: LifecycleHandle[];
}

export function scoreCustomer(
  aggregate: OrderAggregate,
  population: RfmPopulation,
  settings: ShopSettings,
  asOf: Date,
): CustomerScore {
  const scores =
    aggregate.orders > 0 && aggregate.lastOrderAt
      ? population.scoresFor(
          {
            orders: aggregate.orders,
            spentCents: aggregate.spentCents,
            lastOrderAt: aggregate.lastOrderAt,
          },
          asOf,
        )
      : null;
  return {
    aggregate,
    scores,
    rfmGroup: rfmGroupFor(scores),
    lifecycle: lifecycleSegmentsFor(aggregate, scores, settings, asOf),
  };
}

/** Scores a whole shop: the population is every customer with a counted order. */
export function scoreShop(
  aggregates: Map<string, OrderAggregate>,
  settings: ShopSettings,
  asOf: Date,
): { population: RfmPopulation; scores: Map<string, CustomerScore> } {
  const population = new RfmPopulation(
    [...aggregates.values()]
      .filter((aggregate) => aggregate.orders > 0 && aggregate.lastOrderAt)
      .map((aggregate) => ({
        orders: aggregate.orders,
        spentCents: aggregate.spentCents,
        lastOrderAt: aggregate.lastOrderAt as Date,
      })),
  );
  const scores = new Map<string, CustomerScore>();
  for (const [id, aggregate] of aggregates)
    scores.set(id, scoreCustomer(aggregate, population, settings, asOf));
  return { population, scores };
}
