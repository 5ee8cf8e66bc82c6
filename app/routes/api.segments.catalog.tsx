import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportingFailures } from "~/errors/report.server";
import { catalogTitles, searchCatalog } from "~/shops/catalog.server";
import { authenticate } from "~/shopify.server";

/**
 * GET ?kind=product|collection&q=words: up to 10 matches by title, for the rule builder's pickers.
 * GET ?ids=gid,gid: the titles of ids a rule holds.
 */
export const loader = reportingFailures(catalog);

async function catalog({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const ids = params.get("ids");
  if (ids !== null)
    return Response.json({ items: await catalogTitles(session.shop, ids.split(",")) });
  const kind = params.get("kind");
  if (kind !== "product" && kind !== "collection")
    return Response.json({ error: 'kind must be "product" or "collection".' }, { status: 400 });
  const q = (params.get("q") ?? "").slice(0, 100);
  return Response.json({ items: await searchCatalog(session.shop, kind, q) });
}
