/** Which customers' stored aggregates and scores a recompute must write: only those that changed. */
import type { CustomerScore } from "./scoring";

/** A customer's aggregates and scores as stored on the customer row. */
export interface StoredScore {
  orders: number;
  spentCents: bigint;
  discountOrders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string;
}

export interface ScoreUpdate extends StoredScore {
  id: string;
}

function storedFrom(score: CustomerScore): StoredScore {
  return {
    orders: score.aggregate.orders,
    spentCents: score.aggregate.spentCents,
    discountOrders: score.aggregate.discountOrders,
    firstOrderAt: score.aggregate.firstOrderAt,
    lastOrderAt: score.aggregate.lastOrderAt,
    r: score.scores?.r ?? null,
    f: score.scores?.f ?? null,
    m: score.scores?.m ?? null,
    rfmGroup: score.rfmGroup,
  };
}

const sameTime = (a: Date | null, b: Date | null) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

function sameStored(a: StoredScore, b: StoredScore) {
  return (
    a.orders === b.orders &&
    a.spentCents === b.spentCents &&
    a.discountOrders === b.discountOrders &&
    sameTime(a.firstOrderAt, b.firstOrderAt) &&
    sameTime(a.lastOrderAt, b.lastOrderAt) &&
    a.r === b.r &&
    a.f === b.f &&
    a.m === b.m &&
    a.rfmGroup === b.rfmGroup
  );
}

/** The new scores of the customers (`rows`, with what is stored) whose stored values differ. */
export function changedScores(
  rows: readonly { id: string; stored: StoredScore }[],
  scores: Map<string, CustomerScore>,
) {
  const updates: ScoreUpdate[] = [];
  for (const row of rows) {
    const next = storedFrom(scores.get(row.id) as CustomerScore);
    if (!sameStored(next, row.stored)) updates.push({ id: row.id, ...next });
  }
  return updates;
}
