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

export default function Storefront() {
  const { customers } = useLoaderData<typeof loader>();
  return (
    <Page title="Storefront">
      <Card>
        <EmptyState heading="Nothing is shown on your storefront yet" image="">
          <p>
            Top bars and upsell blocks target your segments, so they can be set up once segments are
            ready ({customers.toLocaleString("en-US")} customers imported so far).
          </p>
        </EmptyState>
      </Card>
    </Page>
  );
}
