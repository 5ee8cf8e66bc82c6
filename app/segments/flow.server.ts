/**
 * Sends segment moves to Shopify Flow (the flow.send job): for each segment with Flow on, its moves
 * after the cursor, one `flowTriggerReceive` call each, in the order they were recorded. A call
 * Flow refuses is recorded on the segment for the merchant and passed over (sending it again would
 * be refused again); a failure to reach Shopify stops the run and the job retries from the cursor.
 * A process that dies between Flow's answer and the cursor's write sends that one move twice.
 */
import { flowTriggerFor } from "~/domain/segments/flow-triggers";
import {
  advanceFlowCursor,
  countMovesAfter,
  listFlowSegments,
  movesAfter,
  setSegmentFlow,
} from "~/models/flow-moves.server";
import { findSegment } from "~/models/segments.server";
import { ShopifyUserError } from "~/shopify/gateway.server";
import { gatewayForShop } from "~/shops/access.server";
import { FLOW_TRIGGER_RECEIVE } from "~/shopify/operations/flow";

export { listShopsWithFlowMoves as shopsWithFlowMoves } from "~/models/flow-moves.server";

/** Calls per run; the next run (a minute later at most) carries on. */
export const FLOW_CALLS_PER_RUN = 500;

export async function sendFlowTriggers(shop: string) {
  const gateway = await gatewayForShop(shop);
  let sent = 0;
  let refused = 0;
  for (const segment of await listFlowSegments(shop)) {
    const moves = await movesAfter(segment.id, segment.flowCursor, FLOW_CALLS_PER_RUN - sent);
    for (const move of moves) {
      const call = flowTriggerFor(segment, move);
      let error: string | null = null;
      if (call)
        try {
          await gateway.mutate(FLOW_TRIGGER_RECEIVE, call, "flowTriggerReceive");
          sent++;
        } catch (failure) {
          if (!(failure instanceof ShopifyUserError)) throw failure;
          error = `Shopify Flow refused a trigger: ${failure.userErrors.map((e) => e.message).join("; ")}`;
          refused++;
        }
      await advanceFlowCursor(segment.id, move.id, error);
    }
    if (sent + refused >= FLOW_CALLS_PER_RUN) break;
  }
  return { sent, refused };
}

/** The segment page's Flow card: on or off, since when, what waits, and Flow's last refusal. */
export async function segmentFlowStatus(segment: {
  id: string;
  flowEnabledAt: Date | null;
  flowCursor: number;
  flowError: string | null;
}) {
  return {
    enabledAt: segment.flowEnabledAt?.toISOString() ?? null,
    waiting: segment.flowEnabledAt ? await countMovesAfter(segment.id, segment.flowCursor) : 0,
    error: segment.flowError,
  };
}

/** The segment page's switch: `on` is "true" or "false"; anything else is refused (400). */
export async function switchFlow(shop: string, handle: string, on: FormDataEntryValue | null) {
  if (on !== "true" && on !== "false")
    return Response.json({ ok: false, error: "Choose on or off." }, { status: 400 });
  const segment = await findSegment(shop, handle);
  if (!segment) return Response.json({ ok: false, error: "No such segment." }, { status: 404 });
  await setSegmentFlow(shop, segment.id, on === "true", new Date());
  return Response.json({
    ok: true,
    message:
      on === "true"
        ? `${segment.name}: moves from now on start your Flow workflows`
        : `${segment.name}: no more moves are sent to Flow`,
  });
}
