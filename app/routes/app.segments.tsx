import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, EmptyState, Page } from "@shopify/polaris";
import { getStoreSummary } from "~/models/store-summary.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { customers } = await getStoreSummary(session.shop);
  return { customers };
}

export default function Segments() {
  const { customers } = useLoaderData<typeof loader>();
  return (
    <Page title="Segments">
      <Card>
        <EmptyState heading="No segments yet" image="">
          <p>
            Segments are computed from your customers&apos; orders once the import has finished (
            {customers.toLocaleString("en-US")} customers imported so far).
          </p>
        </EmptyState>
      </Card>
    </Page>
  );
}
