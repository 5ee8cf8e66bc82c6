import type { ActionFunctionArgs } from "@remix-run/node";
import { describeProblems } from "~/domain/segments/rules";
import { previewRule } from "~/segments/custom.server";
import { authenticate } from "~/shopify.server";

/** POST { rule }: how many customers the rule selects now; 400 with the reasons if it is invalid. */
export async function action({ request }: ActionFunctionArgs) {
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
  if (!result.ok)
    return Response.json(
      {
        error: `The rule was refused. ${describeProblems(result.problems)}`,
        problems: result.problems,
      },
      { status: 400 },
    );
  return Response.json({ count: result.count, total: result.total });
}
