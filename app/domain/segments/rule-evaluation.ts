/**
 * Evaluating several segment rules so that one failing rule fails alone: the others are still
 * evaluated, and the failing segment is reported rather than taking the whole recompute (and the
 * webhook that caused it) down with it.
 */
import { describeProblems, type RuleProblem } from "./rules";

export type Evaluation<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Evaluates the items together; if that fails, each one alone, so only the items that fail by
 * themselves fail. Failures are rare, so the retry costs one statement per item only then.
 */
export async function evaluateIsolating<I, T>(
  items: I[],
  evaluate: (items: I[]) => Promise<T[]>,
): Promise<Evaluation<T>[]> {
  if (items.length === 0) return [];
  try {
    return (await evaluate(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1) return [{ ok: false, error }];
    const results: Evaluation<T>[] = [];
    for (const item of items) results.push(...(await evaluateIsolating([item], evaluate)));
    return results;
  }
}

/**
 * What the merchant is told when the database refused a rule. The database's own message names
 * tables and internals: it goes to the log, not to the merchant.
 */
export const RULE_FAILED_MESSAGE =
  "The database could not evaluate this rule (the details are in the app's log).";

/** What the merchant is told when the stored rule no longer passes validation. */
export function invalidRuleMessage(problems: RuleProblem[]) {
  return `The saved rule is no longer valid: ${describeProblems(problems)}`;
}

export interface EvaluationStatus {
  evaluationError: string | null;
  evaluationFailedAt: Date | null;
}

export interface EvaluationNotice {
  title: string;
  reason: string;
  /** When the rule first failed; its members are as they were then. */
  since: Date;
  action: string;
}

/** The notice a segment page and the segment list show, or null when the rule evaluates. */
export function evaluationNotice(status: EvaluationStatus): EvaluationNotice | null {
  if (status.evaluationError === null) return null;
  return {
    title: "This segment's rule could not be evaluated",
    reason: status.evaluationError,
    since: status.evaluationFailedAt ?? new Date(0),
    action:
      "Its members are kept as they were: no one enters or leaves until the rule works again. Edit the rule (look for very long or unusual values) and save it; the error clears once it evaluates.",
  };
}
