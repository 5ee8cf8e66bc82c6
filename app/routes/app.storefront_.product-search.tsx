// The upsell editor's product search: synced products whose title contains `q`, as JSON.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { productsToPin } from "~/storefront/admin.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  return { products: await productsToPin(session.shop, query) };
});
