/** Custom segments: validated rules, live preview counts, saving and deleting. */
import { BUILT_IN_HANDLES } from "~/domain/segments/catalog";
import { handleFromName, validateRule, type RuleProblem } from "~/domain/segments/rules";
import { countCustomers } from "~/models/customers.server";
import {
  countMatchingCustomers,
  createCustomSegment,
  deleteCustomSegment,
  findSegment,
  hasBuiltInSegments,
  updateCustomSegment,
} from "~/models/segments.server";
import { recomputeCustomSegment, recomputeShop } from "./recompute.server";
import { compileRule } from "./rule-sql";

export type Refusal = { ok: false; problems: RuleProblem[] };

/** How many customers a (possibly unsaved) rule selects right now, and of how many. */
export async function previewRule(
  shop: string,
  input: unknown,
  asOf = new Date(),
): Promise<{ ok: true; count: number; total: number } | Refusal> {
  const validation = validateRule(input);
  if (!validation.ok) return validation;
  const [count, total] = await Promise.all([
    countMatchingCustomers(shop, compileRule(validation.rule, { shop, asOf })),
    countCustomers(shop),
  ]);
  return { ok: true, count, total };
}

export interface CustomSegmentInput {
  name: unknown;
  description?: unknown;
  handle?: unknown;
  rule: unknown;
}

/**
 * Creates (no `existingHandle`) or updates a custom segment, then computes its members. Nothing is
 * written when any part is invalid; every problem is returned at once.
 */
export async function saveCustomSegment(
  shop: string,
  input: CustomSegmentInput,
  existingHandle?: string,
) {
  const problems: RuleProblem[] = [];
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) problems.push({ path: "name", message: "Give the segment a name." });
  else if (name.length > 80)
    problems.push({ path: "name", message: "Names can be at most 80 characters." });
  const description =
    typeof input.description === "string" ? input.description.trim().slice(0, 500) : "";
  let handle = existingHandle ?? "";
  if (!existingHandle) {
    const requested =
      typeof input.handle === "string" && input.handle.trim() ? input.handle.trim() : name;
    handle = handleFromName(requested);
    if (name && !handle)
      problems.push({ path: "handle", message: "The handle needs at least one letter or digit." });
    else if (BUILT_IN_HANDLES.includes(handle) || handle === "new")
      problems.push({
        path: "handle",
        message: `"${handle}" is a built-in segment; choose another name.`,
      });
    else if (handle && (await findSegment(shop, handle)))
      problems.push({
        path: "handle",
        message: `A segment with the handle "${handle}" already exists.`,
      });
  }
  const validation = validateRule(input.rule);
  if (!validation.ok)
    problems.push(
      ...validation.problems.map((p) => ({ ...p, path: p.path ? `rule.${p.path}` : "rule" })),
    );
  if (problems.length > 0 || !validation.ok) return { ok: false as const, problems };

  const rule = JSON.stringify(validation.rule);
  if (existingHandle) {
    const existing = await findSegment(shop, existingHandle);
    if (!existing || existing.kind !== "custom")
      return {
        ok: false as const,
        problems: [{ path: "", message: "Only custom segments can be edited." }],
      };
    // Saved as it is stored: nothing is written and the members stay as last computed.
    if (existing.name === name && existing.description === description && existing.rule === rule)
      return { ok: true as const, segment: existing };
    await updateCustomSegment(shop, existingHandle, { name, description, rule });
  } else await createCustomSegment(shop, { handle, name, description, rule });
  const segment = (await findSegment(shop, handle))!;
  // Rules read the stored scores: a shop never computed before gets its first full recompute.
  if (await hasBuiltInSegments(shop)) await recomputeCustomSegment(shop, segment);
  else await recomputeShop(shop);
  return { ok: true as const, segment: (await findSegment(shop, handle))! };
}

export async function deleteSegment(shop: string, handle: string) {
  return deleteCustomSegment(shop, handle);
}
