import { API_VERSION, type StandIn } from "../src";

export const NOW = new Date("2026-11-01T00:00:00Z");

/** One Admin GraphQL call over real HTTP, returning status and parsed body. */
export async function adminGraphql(
  standIn: StandIn,
  query: string,
  variables: Record<string, unknown> = {},
  token = "stand-in-token",
) {
  const response = await fetch(`${standIn.origin}/admin/api/${API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}
