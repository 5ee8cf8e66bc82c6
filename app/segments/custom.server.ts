/** Custom segments: validated rules, live preview counts, saving and deleting. */
import { BUILT_IN_HANDLES } from "~/domain/segments/catalog";
import { handleFromName, validateRule, type RuleProblem } from "~/domain/segments/rules";
import { ConcurrencyLimit } from "~/domain/concurrency-limit";
import { countForPreview, PreviewTimeoutError } from "~/models/segment-rules.server";
import {
  createCustomSegment,
  deleteCustomSegment,
  findSegment,
  hasBuiltInSegments,
  updateCustomSegment,
} from "~/models/segments.server";
import { recomputeRuleSegments, recomputeShop } from "./recompute.server";
import { compileRule } from "./rule-sql";

export type Refusal = { ok: false; problems: RuleProblem[] };

/** Previews one shop may run at once: the editor sends one per edit, a flood gets 429s. */
const PREVIEWS_PER_SHOP = 3;
const previewsRunning = new ConcurrencyLimit(PREVIEWS_PER_SHOP);
/** Previews running for the shop now (monitoring, and the flood test watches it). */
export const previewsRunningFor = (shop: string) => previewsRunning.running(shop);
/** How long a preview's count may run where the database can stop it (PostgreSQL). */
const PREVIEW_TIMEOUT_MS = 3_000;
/** When a refused preview may try again: about the time a preview takes. */
const PREVIEW_RETRY_AFTER_SECONDS = 1;

export type PreviewResult =
  | { ok: true; count: number; total: number }
  | Refusal
  | { ok: false; busy: true; retryAfterSeconds: number; problems: RuleProblem[] }
  | { ok: false; tooSlow: true; problems: RuleProblem[] };

/** How many customers a (possibly unsaved) rule selects right now, and of how many. */
export async function previewRule(
  shop: string,
  input: unknown,
  asOf = new Date(),
): Promise<PreviewResult> {
  const validation = validateRule(input);
  if (!validation.ok) return validation;
  const release = previewsRunning.tryAcquire(shop);
  if (!release)
    return {
      ok: false,
      busy: true,
      retryAfterSeconds: PREVIEW_RETRY_AFTER_SECONDS,
      problems: [],
    };
  try {
    const counts = await countForPreview(
      shop,
      compileRule(validation.rule, { shop, asOf }),
      PREVIEW_TIMEOUT_MS,
    );
    return { ok: true, ...counts };
  } catch (error) {
    if (!(error instanceof PreviewTimeoutError)) throw error;
    return {
      ok: false,
      tooSlow: true,
      problems: [
        {
          path: "",
          message: `Counting this rule took longer than ${PREVIEW_TIMEOUT_MS / 1000} seconds. Narrow it (fewer products or conditions, a shorter time window) to see a count; saving it still works.`,
        },
      ],
    };
  } finally {
    release();
  }
}

/** The HTTP status and headers of a preview's answer. */
export function previewResponseInit(result: PreviewResult): ResponseInit {
  if (result.ok) return { status: 200 };
  if ("busy" in result)
    return { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } };
  return { status: "tooSlow" in result ? 422 : 400 };
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
  if (await hasBuiltInSegments(shop)) await recomputeRuleSegments(shop, [segment]);
  else await recomputeShop(shop);
  return { ok: true as const, segment: (await findSegment(shop, handle))! };
}

export async function deleteSegment(shop: string, handle: string) {
  return deleteCustomSegment(shop, handle);
}
