import type { LoaderFunctionArgs } from "@remix-run/node";
import { isGrain } from "~/domain/segments/periods";
import { findSegment } from "~/models/segments.server";
import { performanceCsv, replaysHistory, segmentPerformance } from "~/segments/performance.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

/** CSV of a segment's per-period table (PRODUCT.md §10) for `?period=day|week|month`. */
async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const grain = new URL(request.url).searchParams.get("period");
  if (!isGrain(grain))
    return new Response('period must be "day", "week" or "month"', { status: 400 });
  const segment = await findSegment(session.shop, params.handle ?? "");
  if (!segment) return new Response("No such segment", { status: 404 });
  if (!replaysHistory(segment.kind))
    return new Response("This segment's performance over time cannot be rebuilt", { status: 404 });
  const profile = await shopProfile(session.shop);
  const rows = await segmentPerformance(session.shop, segment.id, grain, profile.timeZone);
  return new Response(performanceCsv(rows, profile.currency), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="persegment-${segment.handle}-by-${grain}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
