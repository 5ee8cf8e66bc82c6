import type { Evaluation } from "~/domain/segments/rule-evaluation";

/** The customers each rule matched, failing the test with the database's error if one failed. */
export function matchedOrThrow(results: Evaluation<Set<string>>[]) {
  return results.map((result) => {
    if (!result.ok) throw result.error;
    return result.value;
  });
}
