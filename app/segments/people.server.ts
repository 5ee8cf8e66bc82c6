/**
 * The people behind a segment's numbers: its members and movements with names read from Shopify
 * for the rows shown (never stored), and the "why" of one customer's membership.
 */
import { customerAdminPath } from "~/domain/customer-links";
import {
  customerValues,
  explainMembership,
  ordersConditionPaths,
  type CustomerFacts,
} from "~/domain/segments/explain";
import { explainPrediction } from "~/domain/predictions/explain";
import { rfmGroupName } from "~/domain/segments/rfm";
import { isRuleBased, segmentRule } from "~/domain/segments/segment-rule";
import prisma from "~/db.server";
import { customersMatching } from "~/models/segment-rules.server";
import {
  customerMemberships,
  customerTagLedger,
  findCustomerFacts,
  listSegmentMovements,
  spendBelowShare,
} from "~/models/segment-people.server";
import { loadCustomerPrediction, loadPredictionFit } from "~/models/predictions.server";
import { findSegment, listSegments } from "~/models/segments.server";
import { getShopSettings } from "~/models/shop.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { shopDate, shopMoney } from "~/shops/format";
import { customerNamesForPage } from "./customer-names.server";
import { compileRule } from "./rule-sql";

const DAY_MS = 86_400_000;
export const MOVEMENTS_PER_PAGE = 25;
/** Entries and exits are listed for this many days. */
export const MOVEMENT_DAYS = 90;

/** Who entered and left the segment in the last 90 days, newest first (ids and dates only). */
export async function segmentMovements(
  shop: string,
  segmentId: string,
  page: number,
  now = new Date(),
) {
  const since = new Date(now.getTime() - MOVEMENT_DAYS * DAY_MS);
  const { rows, total } = await listSegmentMovements(shop, segmentId, since, {
    offset: (page - 1) * MOVEMENTS_PER_PAGE,
    limit: MOVEMENTS_PER_PAGE,
  });
  return { rows, total, page, perPage: MOVEMENTS_PER_PAGE };
}

/** Names, emails and admin links for the customers a page shows, from one Shopify read. */
export async function peopleForRows(shop: string, ids: readonly string[]) {
  const { contacts, error } = await customerNamesForPage(shop, ids);
  const people: Record<string, { name: string | null; email: string | null; adminPath: string }> =
    {};
  for (const id of ids)
    people[id] = {
      name: contacts.get(id)?.name ?? null,
      email: contacts.get(id)?.email ?? null,
      adminPath: customerAdminPath(id),
    };
  return { people, namesError: error };
}

/**
 * Why one customer is (or is not) in a segment: their values, each condition of the segment's
 * definition met or not, when they entered, and the reasons the tag ledger holds for their app
 * tags. Null when the segment or the customer does not exist.
 */
export async function explainCustomer(
  shop: string,
  handle: string,
  customerId: string,
  now = new Date(),
) {
  const [segment, customer] = await Promise.all([
    findSegment(shop, handle),
    findCustomerFacts(shop, customerId),
  ]);
  if (!segment || !customer) return null;
  const [settings, locale, memberships, ledger, segments, below, people, prediction, fit] =
    await Promise.all([
      getShopSettings(shop),
      shopProfile(shop),
      customerMemberships(shop, customerId),
      customerTagLedger(shop, customerId),
      listSegments(shop),
      customer.orders > 0 ? spendBelowShare(shop, customer.spentCents) : Promise.resolve(null),
      peopleForRows(shop, [customerId]),
      loadCustomerPrediction(shop, customerId),
      loadPredictionFit(shop),
    ]);
  const validation = segmentRule(segment, settings);
  const rule = validation?.ok ? validation.rule : null;
  // Scored segments are as of the customer's last scoring (the memberships' instant); rules are
  // evaluated now, as the next recompute will.
  const asOf = isRuleBased(segment.kind) ? now : (customer.scoredAt ?? now);
  const ordersMet: Record<string, boolean> = {};
  if (rule) {
    const conditions = ordersConditionPaths(rule);
    const results = await customersMatching(
      prisma,
      shop,
      conditions.map(({ node }) => compileRule(node, { shop, asOf, strategy: "per-customer" })),
      [customerId],
    );
    conditions.forEach(({ path }, index) => {
      const result = results[index];
      if (result.ok) ordersMet[path] = result.value.has(customerId);
    });
  }
  const facts: CustomerFacts = {
    ...customer,
    spendBelowShare: below,
    prediction: prediction && {
      method: prediction.method,
      current: prediction.lastOrderAt.getTime() === customer.lastOrderAt?.getTime(),
      expectedOrders90d: prediction.expectedOrders90d,
      pAlive: prediction.pAlive,
      predictedSpend365dCents: prediction.predictedSpend365d,
      daysOverdue: prediction.daysOverdue,
    },
  };
  const money = (minor: number) => shopMoney(BigInt(Math.round(minor)), locale.currency);
  const explanation = explainMembership(
    { kind: segment.kind, handle: segment.handle, rule },
    facts,
    {
      asOf,
      thresholds: settings,
      money: (cents) => shopMoney(cents, locale.currency),
      date: (at) => shopDate(at, locale.timeZone),
      ordersMet,
      selectedByShopify: memberships.some((m) => m.segmentId === segment.id),
    },
  );
  const values = customerValues(facts, { asOf: now });
  const segmentById = new Map(segments.map((s) => [s.id, s]));
  const membership = memberships.find((m) => m.segmentId === segment.id);
  return {
    locale,
    segment: { handle: segment.handle, name: segment.name, kind: segment.kind },
    customer: {
      id: customerId,
      ...people.people[customerId],
      values: { ...values, spentCents: values.spentCents.toString() },
      rfmGroupName: rfmGroupName(customer.rfmGroup),
      lifecycle: memberships
        .map((m) => segmentById.get(m.segmentId))
        .filter((s) => s?.kind === "lifecycle" || s?.kind === "prediction")
        .map((s) => s!.name),
    },
    predictions:
      prediction && fit
        ? {
            method: prediction.method,
            asOf: fit.asOf.toISOString(),
            current: facts.prediction!.current,
            lines: explainPrediction(prediction, {
              spend: fit.fits.gammaGamma.ok ? fit.fits.gammaGamma : null,
              typicalIntervalDays: fit.typicalIntervalDays,
              returningShare: fit.returningShare,
              money,
            }),
          }
        : null,
    predictionsRefreshed: fit?.asOf.toISOString() ?? null,
    namesError: people.namesError,
    member: membership !== undefined,
    enteredAt: membership?.enteredAt.toISOString() ?? null,
    asOf: asOf.toISOString(),
    explanation,
    tags: ledger.map((entry) => ({
      tag: entry.tag,
      reason: entry.reason,
      state: entry.state,
      addedAt: entry.addedAt?.toISOString() ?? null,
      updatedAt: entry.updatedAt.toISOString(),
      segmentName: entry.segmentId ? (segmentById.get(entry.segmentId)?.name ?? null) : null,
    })),
  };
}
