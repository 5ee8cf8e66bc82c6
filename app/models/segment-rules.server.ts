/**
 * Custom segment rules in the database: which customers each compiled rule selects, how each
 * rule fared, and the editor's preview count.
 */
import prisma, { concurrentReader, type RawDb } from "~/db.server";
import { evaluateIsolating, type Evaluation } from "~/domain/segments/rule-evaluation";
import { BATCH, chunks, execute, postgres, query, typed } from "./bulk-sql.server";
import { toNumber } from "./raw-results.server";

/**
 * For each compiled rule predicate, the ids of the shop's customers matching it (optionally only
 * among `within`), or the error it failed with. One pass over the customers with one JSON
 * aggregate per rule (FILTER), so the customer table is read once however many rules there are,
 * and a customer's recompute is one round trip, not one per rule. A statement that fails is
 * retried rule by rule, so one rule the database refuses fails alone. `within` is bound as id
 * lists: the primary key is the way in.
 */
export async function customersMatching(
  db: RawDb,
  shop: string,
  predicates: { sql: string; params: unknown[] }[],
  within?: string[],
): Promise<Evaluation<Set<string>>[]> {
  if (predicates.length === 0 || within?.length === 0)
    return predicates.map(() => ({ ok: true, value: new Set<string>() }));
  const results: Evaluation<Set<string>>[] = [];
  for (const group of byParameterBudget(predicates))
    results.push(
      ...(await evaluateIsolating(group, (rules) =>
        withSavepoint(db, () => evaluateTogether(db, shop, rules, within)),
      )),
    );
  return results;
}

async function evaluateTogether(
  db: RawDb,
  shop: string,
  predicates: { sql: string; params: unknown[] }[],
  within?: string[],
) {
  const matches = predicates.map(() => new Set<string>());
  const lists = predicates.map((predicate, index) =>
    postgres
      ? `COALESCE(CAST(json_agg(c."id") FILTER (WHERE ${predicate.sql}) AS TEXT), '[]') AS m${index}`
      : `json_group_array(c."id") FILTER (WHERE ${predicate.sql}) AS m${index}`,
  );
  const predicateParams = predicates.flatMap((predicate) => predicate.params);
  for (const ids of within ? chunks(within) : [[]]) {
    const [row] = await query<Record<string, string>>(
      db,
      `SELECT ${lists.join(", ")} FROM "Customer" c WHERE c."shop" = ?` +
        (within ? ` AND c."id" IN (${ids.map(() => "?").join(", ")})` : ""),
      [...predicateParams, shop, ...ids],
    );
    matches.forEach((members, index) => {
      for (const id of JSON.parse(row?.[`m${index}`] ?? "[]") as string[]) members.add(id);
    });
  }
  return matches;
}

/**
 * Inside a transaction, a failed statement is undone to a savepoint: PostgreSQL refuses every
 * later statement of a transaction in which one failed.
 */
async function withSavepoint<T>(db: RawDb, work: () => Promise<T>) {
  if (!db.inTransaction) return work();
  await db.$executeRawUnsafe("SAVEPOINT rule_evaluation");
  try {
    const result = await work();
    await db.$executeRawUnsafe("RELEASE SAVEPOINT rule_evaluation");
    return result;
  } catch (error) {
    await db.$executeRawUnsafe("ROLLBACK TO SAVEPOINT rule_evaluation");
    await db.$executeRawUnsafe("RELEASE SAVEPOINT rule_evaluation");
    throw error;
  }
}

/** Bound values per rule statement, under SQLite's 32,766 with room for a chunk of ids. */
const RULE_STATEMENT_PARAMS = 30_000 - BATCH;

/** The predicates in consecutive groups (in order) whose parameters fit one statement. */
function byParameterBudget<P extends { params: unknown[] }>(predicates: P[]) {
  const groups: P[][] = [[]];
  let size = 0;
  for (const predicate of predicates) {
    if (groups.at(-1)!.length > 0 && size + predicate.params.length > RULE_STATEMENT_PARAMS) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(predicate);
    size += predicate.params.length;
  }
  return groups;
}

/**
 * Records how each custom segment's rule fared: `failed` (segment id → the merchant's message)
 * keep the time of their first failure; segments evaluated again lose their error.
 */
export async function recordRuleEvaluations(
  db: RawDb,
  shop: string,
  outcome: { evaluated: string[]; failed: Map<string, string> },
  at: Date,
) {
  for (const ids of chunks(outcome.evaluated))
    await execute(
      db,
      `UPDATE "Segment" SET "evaluationError" = NULL, "evaluationFailedAt" = NULL
       WHERE "shop" = ? AND "evaluationError" IS NOT NULL AND "id" IN (${ids.map(() => "?").join(", ")})`,
      [shop, ...ids],
    );
  for (const [id, message] of outcome.failed)
    await execute(
      db,
      `UPDATE "Segment" SET "evaluationError" = ?,
         "evaluationFailedAt" = COALESCE("evaluationFailedAt", ${typed("timestamp")})
       WHERE "shop" = ? AND "id" = ?`,
      [message, at, shop, id],
    );
}

/** A preview count the database cancelled at its time bound. */
export class PreviewTimeoutError extends Error {}

/**
 * How many of the shop's customers a predicate selects, and of how many, in one statement.
 * PostgreSQL cancels it after `timeoutMs` (SET LOCAL lasts until its transaction ends). SQLite has
 * no statement timeout and its driver no interrupt: the count runs on the reader thread instead,
 * so however long it takes, the event loop that acknowledges webhooks is never blocked by it.
 */
export async function countForPreview(
  shop: string,
  predicate: { sql: string; params: unknown[] },
  timeoutMs: number,
) {
  const sql = `SELECT COUNT(*) FILTER (WHERE ${predicate.sql}) AS n, COUNT(*) AS total FROM "Customer" c WHERE c."shop" = ?`;
  const params = [...predicate.params, shop];
  let rows: { n: unknown; total: unknown }[];
  if (!postgres) rows = await query(concurrentReader, sql, params);
  else
    try {
      rows = await prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
          return query<{ n: unknown; total: unknown }>(tx, sql, params);
        },
        { timeout: timeoutMs + 5_000 },
      );
    } catch (error) {
      // 57014 query_canceled, which Prisma passes on in its message.
      if (/statement timeout|57014/.test(String(error))) throw new PreviewTimeoutError();
      throw error;
    }
  return { count: toNumber(rows[0]?.n), total: toNumber(rows[0]?.total) };
}
