import type { LoaderFunctionArgs } from "@remix-run/node";
import { findSegment } from "~/models/segments.server";
import { segmentExportLines } from "~/segments/member-export.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";
import { logger } from "~/logger.server";

export const loader = reportingFailures(loadPage);

/**
 * CSV of a segment's members: the columns of `customers export` plus name, email and admin link,
 * read from Shopify while the file streams. The first rows are read before answering, so a
 * Shopify outage is a clear 503 rather than a file without names.
 */
async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const segment = await findSegment(session.shop, params.handle ?? "");
  if (!segment) return new Response("No such segment", { status: 404 });
  const lines = segmentExportLines(session.shop, segment.id);
  const encoder = new TextEncoder();
  let first: string[];
  try {
    const header = await lines.next();
    const rows = await lines.next();
    first = [header.value, rows.value].filter((text): text is string => Boolean(text));
  } catch (error) {
    logger.warn({ shop: session.shop, err: error }, "segment export: Shopify names unavailable");
    return new Response(
      "Customer names could not be read from Shopify, so the export was not made. Try again in a moment.",
      { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const text of first) controller.enqueue(encoder.encode(text));
    },
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
      "Cache-Control": "no-store",
    },
  });
}
