/**
 * Holdouts (PRODUCT.md §8): which customers a bar is not shown to, decided the same way by the
 * storefront's Liquid (persegment-bar.liquid) and by the app, so the app knows who saw a bar
 * without a script, cookie or request.
 *
 * Every logged-in customer has one slot, 0–99 (holdout-slot.ts). A bar's holdout is
 * an arc of `percent` slots starting at its `start` (the per-bar value the app publishes), going
 * round past 99 to 0. The app places the arcs of a shop's bars so they never overlap
 * (placeHoldout; publishing drops any overlap left by a race), so a customer is held out of one
 * bar at most: never of every bar at once, and held out of one bar they still see the next bar
 * that matches them.
 */

export const HOLDOUT_SLOTS = 100;
export const DEFAULT_HOLDOUT_PERCENT = 10;
/** Beyond half the audience a bar is mostly not shown; half is also where a test is strongest. */
export const MAX_HOLDOUT_PERCENT = 50;

export interface Holdout {
  /** Share of the bar's logged-in audience held out, in whole percent (0: no holdout). */
  percent: number;
  /** First slot of the arc; null when there is no holdout. */
  start: number | null;
}

/** Whether the slot lies on the arc of `percent` slots from `start` (round past 99). */
export function onArc(slot: number, { percent, start }: Holdout): boolean {
  if (percent <= 0 || start === null) return false;
  return (slot - start + HOLDOUT_SLOTS) % HOLDOUT_SLOTS < percent;
}

export type Placement = { ok: true; start: number | null } | { ok: false; largestFree: number };

function freeSlots(taken: readonly Holdout[]): boolean[] {
  const free = Array.from({ length: HOLDOUT_SLOTS }, () => true);
  for (const arc of taken)
    for (let slot = 0; slot < HOLDOUT_SLOTS; slot++) if (onArc(slot, arc)) free[slot] = false;
  return free;
}

const arcFits = (free: boolean[], start: number, percent: number) =>
  Array.from({ length: percent }, (_, step) => free[(start + step) % HOLDOUT_SLOTS]).every(Boolean);

/**
 * Where a bar's holdout of `percent` goes, given the arcs other bars hold (`taken`). The bar keeps
 * its current start while its arc stays free, so raising the share keeps everyone held out so far
 * held out; otherwise the first start (from slot 0) whose whole arc is free. When no arc of that
 * length is free, says how long the longest free one is.
 */
export function placeHoldout(
  percent: number,
  current: number | null,
  taken: readonly Holdout[],
): Placement {
  if (percent <= 0) return { ok: true, start: null };
  const free = freeSlots(taken);
  if (current !== null && arcFits(free, current, percent)) return { ok: true, start: current };
  for (let start = 0; start < HOLDOUT_SLOTS; start++)
    if (arcFits(free, start, percent)) return { ok: true, start };
  return { ok: false, largestFree: largestFreeArc(free) };
}

/** The longest run of free slots, counting the run that wraps from 99 to 0 as one. */
function largestFreeArc(free: boolean[]): number {
  if (free.every(Boolean)) return HOLDOUT_SLOTS;
  let best = 0;
  let run = 0;
  for (let step = 0; step < 2 * HOLDOUT_SLOTS; step++) {
    run = free[step % HOLDOUT_SLOTS] ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return Math.min(best, HOLDOUT_SLOTS);
}

/** How long the longest holdout a new bar could get is, next to these bars' holdouts. */
export function roomForHoldout(taken: readonly Holdout[]): number {
  return largestFreeArc(freeSlots(taken));
}
