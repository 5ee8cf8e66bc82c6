import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { reportingFailures } from "~/errors/report.server";
import { BATCH_LIMITS } from "~/domain/measurement/bar-events";
import { collectBarEvents } from "~/measurement/bar-events.server";

/**
 * POST: a batch of top bar counts from the app's web pixel (extensions/persegment-pixel), from any
 * storefront: a shop's own domain is any domain, and the pixel's sandbox may send from an opaque
 * origin. Nothing is read from cookies and no credentials are allowed, so `*` exposes nothing;
 * what protects the counts is the batch's checks. 200 when stored, 4xx and nothing stored
 * otherwise, 429 with Retry-After past a rate limit.
 */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

/** The visitor's address as the host's proxy reports it (the first X-Forwarded-For entry). */
const visitorAddress = (request: Request) =>
  request.headers.get("x-forwarded-for")?.split(",")[0].trim() ||
  request.headers.get("x-real-ip") ||
  "unknown";

/**
 * The body's first `limit + 1` bytes at most: enough for the batch's checks to refuse an
 * oversized one, without holding whatever a sender streams.
 */
async function bodyStart(request: Request, limit: number) {
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader && size <= limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader?.cancel();
  return Buffer.concat(chunks)
    .subarray(0, limit + 1)
    .toString("utf8");
}

export const action = reportingFailures(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return Response.json({ error: "POST a batch." }, { status: 405, headers: CORS });
  const text = await bodyStart(request, BATCH_LIMITS.bytes);
  const outcome = await collectBarEvents(text, visitorAddress(request));
  if (outcome.ok) return Response.json({ stored: outcome.stored }, { headers: CORS });
  const retry: Record<string, string> = outcome.retryAfterSeconds
    ? { "Retry-After": String(outcome.retryAfterSeconds) }
    : {};
  return Response.json(
    { error: outcome.error },
    { status: outcome.status, headers: { ...CORS, ...retry } },
  );
});

/** The CORS preflight (OPTIONS reaches the loader); anything else here is not a batch. */
export function loader({ request }: LoaderFunctionArgs) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  return Response.json({ error: "POST a batch." }, { status: 405, headers: CORS });
}
