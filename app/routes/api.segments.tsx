import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describeProblems } from "~/domain/segments/rules";
import { saveCustomSegment } from "~/segments/custom.server";
import { listSegmentOverview } from "~/segments/overview.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

/** GET: the shop's segments with sizes. */
export const loader = reportingFailures(listSegments);

async function listSegments({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { segments, customers } = await listSegmentOverview(session.shop);
  return Response.json({
    customers,
    segments: segments.map(({ id: _id, trend: _trend, ...segment }) => segment),
  });
}

async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false };
  }
}

/**
 * POST { name, description?, handle?, rule }: creates a custom segment. An invalid rule is
 * refused with 400, the reasons in words and by path, and nothing is saved. A failure answers
 * 500 with a reference only (reportingFailures), never the error's detail.
 */
export const action = reportingFailures(createSegment);

async function createSegment({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  if (request.method !== "POST") return Response.json({ error: "Use POST." }, { status: 405 });
  const parsed = await readJson(request);
  if (!parsed.ok || typeof parsed.body !== "object" || parsed.body === null)
    return Response.json(
      { error: "The body must be a JSON object with name and rule.", problems: [] },
      { status: 400 },
    );
  const body = parsed.body as Record<string, unknown>;
  const result = await saveCustomSegment(session.shop, {
    name: body.name,
    description: body.description,
    handle: body.handle,
    rule: body.rule,
  });
  if (!result.ok)
    return Response.json(
      {
        error: `The segment was not saved. ${describeProblems(result.problems)}`,
        problems: result.problems,
      },
      { status: 400 },
    );
  const { segment } = result;
  return Response.json(
    {
      handle: segment.handle,
      name: segment.name,
      members: segment.memberCount,
      rule: JSON.parse(segment.rule ?? "null"),
    },
    { status: 201 },
  );
}
