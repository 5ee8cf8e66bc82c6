import type { ActionFunctionArgs } from "@remix-run/node";
import { describeProblems } from "~/domain/segments/rules";
import { previewResponseInit, previewRule } from "~/segments/custom.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

/**
 * POST { rule }: how many customers the rule selects now; 400 with the reasons if it is invalid,
 * 422 if counting it took too long, 429 with Retry-After while the shop runs too many previews.
 */
export const action = reportingFailures(previewSegment);

async function previewSegment({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      { error: 'The body must be JSON: { "rule": … }.', problems: [] },
      { status: 400 },
    );
  }
  const rule =
    typeof body === "object" && body !== null ? (body as { rule?: unknown }).rule : undefined;
  const result = await previewRule(session.shop, rule);
  if ("busy" in result)
    return Response.json(
      { error: "Too many previews are running for this shop; try again shortly.", problems: [] },
      previewResponseInit(result),
    );
  if (!result.ok)
    return Response.json(
      {
        error: `The rule was refused. ${describeProblems(result.problems)}`,
        problems: result.problems,
      },
      previewResponseInit(result),
    );
  return Response.json({ count: result.count, total: result.total });
}
