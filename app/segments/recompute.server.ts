/**
 * Recomputing segments: full (every customer of a shop; CLI, admin button, daily schedule) and
 * incremental (the customers a processed webhook touched). Definitions live in app/domain; this
 * module moves data between them and the database in bulk.
 */
import { builtInSegments, isComputedHere } from "~/domain/segments/catalog";
import {
  builtInMembers,
  builtInSegmentIdsOf,
  diffMemberships,
  reevaluatesWholeShop,
  ShopMemberships,
  sizeDeltas,
  withReevaluated,
} from "~/domain/segments/memberships";
import { RfmPopulation, type OrderAggregate } from "~/domain/segments/rfm";
import { invalidRuleMessage, RULE_FAILED_MESSAGE } from "~/domain/segments/rule-evaluation";
import { isRuleBased, segmentRule } from "~/domain/segments/segment-rule";
import { changedScores } from "~/domain/segments/score-changes";
import { scoreCustomer, scoreShop, type CustomerScore } from "~/domain/segments/scoring";
import type { ShopSettings } from "~/domain/settings";
import { concurrentReader, exclusiveTransaction, type RawDb } from "~/db.server";
import { knownCustomerIds } from "~/models/customers.server";
import {
  loadBuyerInputs,
  loadCustomerAggregates,
  writeCustomerScores,
} from "~/models/customer-scores.server";
import {
  applyMembershipChanges,
  lastSegmentChange,
  loadMemberships,
} from "~/models/memberships.server";
import { customersMatching, recordRuleEvaluations } from "~/models/segment-rules.server";
import {
  adjustSegmentSizes,
  measureSegments,
  writeSegmentSizes,
} from "~/models/segment-sizes.server";
import { ensureBuiltInSegments, listSegments, type SegmentRow } from "~/models/segments.server";
import { getShopSettings, markShopRecomputed } from "~/models/shop.server";
import { logger } from "~/logger.server";
import { compileRule } from "./rule-sql";

export interface RecomputeResult {
  shop: string;
  asOf: Date;
  customers: number;
  buyers: number;
  scoresWritten: number;
  segments: number;
  entered: number;
  left: number;
  /** Custom segments skipped because their stored rule no longer validates. */
  skipped: string[];
  /** Custom segments whose rule the database failed to evaluate; they keep their members. */
  failed: string[];
}

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The segments a recompute decides (not those whose members Shopify selects). */
async function computedSegments(shop: string) {
  return (await listSegments(shop)).filter((segment) => isComputedHere(segment.kind));
}

async function prepareSegments(shop: string, settings: ShopSettings) {
  await ensureBuiltInSegments(shop, builtInSegments(settings));
  return computedSegments(shop);
}

/**
 * Ids of the customers each rule-based segment's rule selects (custom segments, and the built-in
 * ones on predictions), evaluated by the database, and the segments whose rule could not be
 * evaluated (`unevaluated`: segment id -> the merchant's message). An unevaluated segment keeps
 * its members: it is left out of the diffs.
 */
async function customMembers(
  db: RawDb,
  shop: string,
  segments: SegmentRow[],
  settings: ShopSettings,
  asOf: Date,
  within?: string[],
) {
  const skipped: string[] = [];
  const unevaluated = new Map<string, string>();
  const rules: { segment: SegmentRow; predicate: { sql: string; params: unknown[] } }[] = [];
  for (const segment of segments) {
    const parsed = segmentRule(segment, settings);
    if (!parsed) continue;
    if (!parsed.ok) {
      skipped.push(segment.handle);
      unevaluated.set(segment.id, invalidRuleMessage(parsed.problems));
    } else
      rules.push({
        segment,
        predicate: compileRule(parsed.rule, {
          shop,
          asOf,
          strategy: within ? "per-customer" : "whole-shop",
        }),
      });
  }
  const matches = await customersMatching(
    db,
    shop,
    rules.map((rule) => rule.predicate),
    within,
  );
  const members = new Map<string, Set<string>>();
  rules.forEach(({ segment }, index) => {
    const match = matches[index];
    if (match.ok) members.set(segment.id, match.value);
    else {
      logger.error(
        { shop, segment: segment.handle, err: match.error },
        "a segment's rule failed to evaluate",
      );
      unevaluated.set(segment.id, RULE_FAILED_MESSAGE);
    }
  });
  return { members, skipped, unevaluated };
}

type CustomMembers = Awaited<ReturnType<typeof customMembers>>;

/** Stores which rule-based segments evaluated (their error clears) and which did not. */
function recordEvaluations(
  db: RawDb,
  shop: string,
  segments: SegmentRow[],
  custom: CustomMembers,
  asOf: Date,
) {
  const evaluated = segments
    .filter((segment) => isRuleBased(segment.kind) && !custom.unevaluated.has(segment.id))
    .map((segment) => segment.id);
  return recordRuleEvaluations(db, shop, { evaluated, failed: custom.unevaluated }, asOf);
}

/**
 * Custom members after scores were written: the members evaluated `before` the write, with the
 * customers whose stored scores changed (`changedIds`) evaluated again. A rule's result for a
 * customer depends on that customer's row, orders and products only, and a recompute changes
 * nothing but the stored scores. When many changed, or `before` failed (null), the rules run
 * again for the whole shop.
 */
async function customMembersAfterScoring(
  db: RawDb,
  shop: string,
  segments: SegmentRow[],
  settings: ShopSettings,
  asOf: Date,
  before: Promise<Awaited<ReturnType<typeof customMembers>> | null>,
  changedIds: string[],
  customers: number,
) {
  const custom = await before;
  if (!custom || reevaluatesWholeShop(changedIds.length, customers))
    return customMembers(db, shop, segments, settings, asOf);
  const changed = await customMembers(db, shop, segments, settings, asOf, changedIds);
  return withReevaluated(custom, changed, changedIds);
}

const asSets = (lists: Map<string, string[]>) =>
  new Map([...lists].map(([segmentId, ids]) => [segmentId, new Set(ids)]));

// Per-shop RFM population of this process: built by a full recompute or loaded on first use.
const POPULATION_TTL_MS = 10 * 60_000;
/** Above this many customers at once, the population is rebuilt from the orders table. */
const LARGE_BATCH = 500;
const populations = new Map<string, { population: RfmPopulation; loadedAt: number }>();

async function populationFor(db: RawDb, shop: string) {
  const cached = populations.get(shop);
  if (cached && Date.now() - cached.loadedAt < POPULATION_TTL_MS) return cached.population;
  const population = new RfmPopulation(await loadBuyerInputs(db, shop));
  populations.set(shop, { population, loadedAt: Date.now() });
  return population;
}

const buyerOf = (aggregate: Pick<OrderAggregate, "orders" | "spentCents" | "lastOrderAt">) =>
  aggregate.orders > 0 && aggregate.lastOrderAt
    ? {
        orders: aggregate.orders,
        spentCents: aggregate.spentCents,
        lastOrderAt: aggregate.lastOrderAt,
      }
    : null;

/**
 * One segment computation per shop at a time, in every process: a full recompute and a webhook's
 * incremental recompute must not interleave their membership diffs.
 */
const segmentTransaction = <T>(shop: string, work: (db: RawDb) => Promise<T>) =>
  exclusiveTransaction(`segments:${shop}`, work);

/** A recompute that would move the shop's live memberships back in time. */
export class PastRecomputeError extends Error {}

/** Full recompute of one shop at `asOf` (default now). */
export async function recomputeShop(
  shop: string,
  options: { asOf?: Date } = {},
): Promise<RecomputeResult> {
  const asOf = options.asOf ?? new Date();
  // Memberships are live state: tags and Shopify segments follow them. Recomputing as of a
  // moment before their last change would write the past into that history and retag
  // customers to it. A past as-of is for a shop whose history starts there (a replay).
  const lastChange = await lastSegmentChange(shop);
  if (lastChange && asOf < lastChange)
    throw new PastRecomputeError(
      `as of ${asOf.toISOString()} is before ${shop}'s last segment change (${lastChange.toISOString()}): memberships are live and only move forward`,
    );
  const settings = await getShopSettings(shop);
  const segments = await prepareSegments(shop, settings);
  const result = await segmentTransaction(shop, async (db) => {
    // Custom rules are evaluated on a second connection meanwhile, over the stored scores as
    // they were; the customers whose stored scores change are evaluated again afterwards.
    const before = customMembers(concurrentReader, shop, segments, settings, asOf).catch(
      (error) => {
        // The second connection is a speed-up only: then the rules run on this one.
        logger.warn({ shop, err: error }, "custom rules on the concurrent reader failed");
        return null;
      },
    );
    const rows = await loadCustomerAggregates(db, shop, asOf);
    const { population, scores } = scoreShop(
      new Map(rows.map((row) => [row.id, row.aggregate])),
      settings,
      asOf,
    );
    const updates = changedScores(rows, scores);
    // Scores first: custom rules on R/F/M and on the stored aggregates read them.
    await writeCustomerScores(db, shop, updates, asOf);

    const memberships = new ShopMemberships(rows);
    const builtInSegmentIds = builtInSegmentIdsOf(segments);
    rows.forEach((row, index) => {
      for (const segmentId of builtInSegmentIds(scores.get(row.id) as CustomerScore))
        memberships.add(segmentId, index);
    });
    // Stored members are read and the built-ins diffed while the custom rules may still run.
    const stored = await loadMemberships(
      db,
      shop,
      segments.map((segment) => segment.id),
    );
    const diffFor = (segment: SegmentRow) =>
      memberships.diff(segment.id, stored.get(segment.id) ?? []);
    const builtInDiffs = segments.filter((segment) => !isRuleBased(segment.kind)).map(diffFor);

    const custom = await customMembersAfterScoring(
      db,
      shop,
      segments,
      settings,
      asOf,
      before,
      updates.map((update) => update.id),
      rows.length,
    );
    for (const [segmentId, members] of custom.members) memberships.addAll(segmentId, members);
    const customDiffs = segments
      .filter((segment) => isRuleBased(segment.kind) && !custom.unevaluated.has(segment.id))
      .map(diffFor);
    await recordEvaluations(db, shop, segments, custom, asOf);
    const diffs = [...builtInDiffs, ...customDiffs];
    const changes = diffs.map((diff) => diff.change);
    await applyMembershipChanges(db, shop, changes, asOf);
    await writeSegmentSizes(
      db,
      shop,
      diffs.map((diff) => diff.size),
      utcDay(asOf),
    );
    await markShopRecomputed(db, shop, asOf);
    return {
      population,
      result: {
        shop,
        asOf,
        customers: rows.length,
        buyers: population.size,
        scoresWritten: updates.length,
        segments: segments.length,
        entered: changes.reduce((sum, change) => sum + change.entered.length, 0),
        left: changes.reduce((sum, change) => sum + change.left.length, 0),
        skipped: custom.skipped,
        failed: segments
          .filter((segment) => custom.unevaluated.has(segment.id))
          .map((segment) => segment.handle)
          .filter((handle) => !custom.skipped.includes(handle)),
      },
    };
  });
  populations.set(shop, { population: result.population, loadedAt: Date.now() });
  return result.result;
}

/**
 * Incremental recompute of the customers a webhook touched. RFM scores are relative to the whole
 * population, so a new order can in principle shift everybody's scores a little. Re-ranking the
 * whole shop on every order would cost a full recompute per webhook; instead the changed
 * customers are scored exactly against the current population (kept in memory, with their own
 * old inputs replaced by the new ones), and everyone else is re-ranked by the daily full
 * recompute, which also moves recency with time. The changed customers' aggregates, lifecycle
 * and custom memberships are exact at once.
 */
export async function recomputeCustomers(
  shop: string,
  customerIds: string[],
  options: { asOf?: Date } = {},
): Promise<{ entered: number; left: number }> {
  const asOf = options.asOf ?? new Date();
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return { entered: 0, left: 0 };
  const [settings, listed] = await Promise.all([getShopSettings(shop), computedSegments(shop)]);
  const segments = listed.some((segment) => segment.kind !== "custom")
    ? listed
    : await prepareSegments(shop, settings);
  // Reads and writes in one transaction: one commit, and no other writer in between.
  return segmentTransaction(shop, async (db) => {
    const rows = await loadCustomerAggregates(db, shop, asOf, ids);
    let population: RfmPopulation;
    if (ids.length > LARGE_BATCH) {
      // A sync page (after a full import): rank against every buyer's counted orders in the
      // database, so all pages together give exactly what a full recompute gives.
      const all = await loadCustomerAggregates(db, shop, asOf);
      population = new RfmPopulation(all.flatMap((row) => buyerOf(row.aggregate) ?? []));
      populations.set(shop, { population, loadedAt: Date.now() });
    } else {
      population = await populationFor(db, shop);
      for (const row of rows) {
        const before = buyerOf(row.stored);
        const after = buyerOf(row.aggregate);
        if (before) population.remove(before);
        if (after) population.add(after);
      }
    }
    const scores = new Map<string, CustomerScore>();
    for (const row of rows)
      scores.set(row.id, scoreCustomer(row.aggregate, population, settings, asOf));
    await writeCustomerScores(db, shop, changedScores(rows, scores), asOf);

    const desired = builtInMembers(segments, scores);
    const presentIds = rows.map((row) => row.id);
    const custom = await customMembers(db, shop, segments, settings, asOf, presentIds);
    for (const [segmentId, members] of custom.members) desired.set(segmentId, members);

    // Errors are recorded, not cleared: a rule that works for a few customers may still fail
    // for the whole shop; the next whole-shop evaluation clears it.
    await recordRuleEvaluations(db, shop, { evaluated: [], failed: custom.unevaluated }, asOf);
    // Customers no longer in the table (deleted in Shopify) simply leave every segment.
    const activeIds = segments
      .filter((segment) => !custom.unevaluated.has(segment.id))
      .map((s) => s.id);
    const current = asSets(await loadMemberships(db, shop, activeIds, ids));
    const changes = diffMemberships(activeIds, desired, current);
    await applyMembershipChanges(db, shop, changes, asOf);

    const deltas = sizeDeltas(activeIds, ids, current, desired, {
      before: new Map(rows.map((row) => [row.id, row.stored])),
      after: new Map([...scores].map(([id, score]) => [id, score.aggregate])),
    });
    await adjustSegmentSizes(db, shop, deltas, utcDay(asOf));
    return {
      entered: changes.reduce((sum, change) => sum + change.entered.length, 0),
      left: changes.reduce((sum, change) => sum + change.left.length, 0),
    };
  });
}

/** Forgets the in-memory population (tests, and after bulk changes made elsewhere). */
export function forgetPopulation(shop: string) {
  populations.delete(shop);
}

/**
 * Brings rule-based segments' members up to date: a custom segment after it is created or its
 * rule changes, the segments on predictions after a refresh. A segment whose rule fails keeps its
 * members (and its error is recorded).
 */
export async function recomputeRuleSegments(
  shop: string,
  segments: SegmentRow[],
  options: { asOf?: Date } = {},
) {
  const asOf = options.asOf ?? new Date();
  const settings = await getShopSettings(shop);
  return segmentTransaction(shop, async (db) => {
    const custom = await customMembers(db, shop, segments, settings, asOf);
    await recordEvaluations(db, shop, segments, custom, asOf);
    return {
      ...(await replaceMembers(db, shop, custom.members, asOf)),
      failed: segments.filter((segment) => custom.unevaluated.has(segment.id)).length,
    };
  });
}

/**
 * Each segment of `desired` gets exactly those members: entries and exits are recorded (so tags,
 * Flow and the history follow), and the segments are measured again.
 */
async function replaceMembers(
  db: RawDb,
  shop: string,
  desired: Map<string, Set<string>>,
  asOf: Date,
) {
  const ids = [...desired.keys()];
  const current = asSets(await loadMemberships(db, shop, ids));
  const changes = diffMemberships(ids, desired, current);
  await applyMembershipChanges(db, shop, changes, asOf);
  if (ids.length > 0)
    await writeSegmentSizes(db, shop, await measureSegments(shop, ids, db), utcDay(asOf));
  return {
    entered: changes.reduce((sum, change) => sum + change.entered.length, 0),
    left: changes.reduce((sum, change) => sum + change.left.length, 0),
  };
}

/**
 * Sets the members of segments decided elsewhere (by Shopify, for the engagement groups), among
 * the customers the app has: one not imported yet joins when a later read finds it imported.
 */
export function setSegmentMembers(shop: string, desired: Map<string, Set<string>>, asOf: Date) {
  return segmentTransaction(shop, async (db) => {
    const everyone = [...new Set([...desired.values()].flatMap((members) => [...members]))];
    const known = await knownCustomerIds(db, shop, everyone);
    const present = new Map(
      [...desired].map(([segmentId, members]) => [
        segmentId,
        new Set([...members].filter((id) => known.has(id))),
      ]),
    );
    return replaceMembers(db, shop, present, asOf);
  });
}
