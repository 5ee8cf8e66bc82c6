import { describe, expect, it } from "vitest";
import {
  evaluateIsolating,
  evaluationNotice,
  invalidRuleMessage,
  RULE_FAILED_MESSAGE,
} from "~/domain/segments/rule-evaluation";

/** Doubles each number together, as one statement would; fails when any is negative. */
function doubling(calls: number[][]) {
  return async (items: number[]) => {
    calls.push(items);
    if (items.some((item) => item < 0)) throw new Error(`refused ${items.join(",")}`);
    return items.map((item) => item * 2);
  };
}

describe("evaluateIsolating", () => {
  it("evaluates everything together when nothing fails", async () => {
    const calls: number[][] = [];
    expect(await evaluateIsolating([1, 2, 3], doubling(calls))).toEqual([
      { ok: true, value: 2 },
      { ok: true, value: 4 },
      { ok: true, value: 6 },
    ]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("retries one by one after a failure, so only the failing items fail", async () => {
    const calls: number[][] = [];
    const results = await evaluateIsolating([1, -2, 3, -4], doubling(calls));
    expect(results.map((result) => result.ok)).toEqual([true, false, true, false]);
    expect(results[0]).toEqual({ ok: true, value: 2 });
    expect(results[1]).toMatchObject({ ok: false, error: new Error("refused -2") });
    expect(calls).toEqual([[1, -2, 3, -4], [1], [-2], [3], [-4]]);
  });

  it("evaluates nothing for no items", async () => {
    const calls: number[][] = [];
    expect(await evaluateIsolating([], doubling(calls))).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe("evaluationNotice", () => {
  it("is absent while the rule evaluates", () => {
    expect(evaluationNotice({ evaluationError: null, evaluationFailedAt: null })).toBeNull();
  });

  it("says why, since when, and to edit the rule", () => {
    const since = new Date("2026-11-20T08:00:00Z");
    const notice = evaluationNotice({
      evaluationError: RULE_FAILED_MESSAGE,
      evaluationFailedAt: since,
    });
    expect(notice).toMatchObject({ reason: RULE_FAILED_MESSAGE, since });
    expect(notice?.action).toMatch(/Edit the rule/);
  });

  it("phrases an invalid stored rule with the validator's problems", () => {
    expect(
      invalidRuleMessage([{ path: "value", message: "Number of orders needs a number." }]),
    ).toBe("The saved rule is no longer valid: value: Number of orders needs a number.");
  });
});
