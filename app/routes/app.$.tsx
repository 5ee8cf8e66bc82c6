import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { FailurePage } from "~/errors/FailurePage";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

// Unknown pages of the embedded app: a 404 inside the app's frame and navigation.
async function loadPage({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return data(null, { status: 404 });
}

export default function NotFound() {
  return <FailurePage kind="not-found" reference={null} />;
}
