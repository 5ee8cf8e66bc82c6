import type { LoaderFunctionArgs } from "@remix-run/node";
import { findSegment } from "~/models/segments.server";
import { exportLines } from "~/segments/export.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

/** CSV of a segment's members, with the columns of `customers export`, streamed. */
async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const segment = await findSegment(session.shop, params.handle ?? "");
  if (!segment) return new Response("No such segment", { status: 404 });
  const lines = exportLines(session.shop, "csv", { segmentId: segment.id });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="persegment-${segment.handle}.csv"`,
    },
  });
}
