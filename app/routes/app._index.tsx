import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { getStoreSummary, type StoreSummary } from "~/models/store-summary.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, summary: await getStoreSummary(session.shop) };
}

const number = new Intl.NumberFormat("en-US");

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {number.format(value)}
        </Text>
      </BlockStack>
    </Card>
  );
}

function SyncStatus({ sync }: { sync: NonNullable<StoreSummary["latestSync"]> }) {
  const progress = sync.recordsTotal
    ? Math.min(100, (100 * sync.recordsDone) / sync.recordsTotal)
    : 0;
  if (sync.status === "running") {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Importing your store ({sync.phase})
          </Text>
          <ProgressBar progress={progress} />
          <Text as="p" tone="subdued">
            {number.format(sync.recordsDone)}
            {sync.recordsTotal ? ` of about ${number.format(sync.recordsTotal)}` : ""} records so
            far. Segments update as soon as the import finishes.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  if (sync.status === "failed") {
    return (
      <Banner tone="critical" title="The last import did not finish">
        <p>
          {sync.error ?? "Shopify stopped answering."} Your data is kept; the next import continues
          from where this one stopped.
        </p>
      </Banner>
    );
  }
  return (
    <Banner tone="success" title="Your store is in sync">
      <p>
        Last {sync.kind === "full" ? "full import" : "check for missed changes"} finished{" "}
        {sync.finishedAt
          ? new Date(sync.finishedAt).toLocaleString("en-US", { timeZone: "UTC" }) + " UTC"
          : ""}
        . New orders and customer changes arrive within seconds.
      </p>
    </Banner>
  );
}

export default function Overview() {
  const { summary } = useLoaderData<typeof loader>();
  return (
    <Page title="Overview">
      <Layout>
        <Layout.Section>
          {summary.latestSync ? (
            <SyncStatus sync={summary.latestSync} />
          ) : (
            <Card>
              <EmptyState heading="Your store hasn't been imported yet" image="">
                <p>
                  Persegment reads your customers and orders once, then keeps them current as they
                  change. The first import starts when the app is installed and usually takes a few
                  minutes; you can leave this page.
                </p>
              </EmptyState>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Stat label="Customers" value={summary.customers} />
            <Stat label="Orders" value={summary.orders} />
            <Stat label="Products" value={summary.products} />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
