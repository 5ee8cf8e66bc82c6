import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { getStoreSummary } from "~/models/store-summary.server";
import { getSyncOverview, type SyncOverview } from "~/models/sync-overview.server";
import { authenticate } from "~/shopify.server";
import { pipeline } from "~/pipeline.server";
import { canReadAllOrders } from "~/domain/sync/reconcile";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [summary, sync] = await Promise.all([
    getStoreSummary(session.shop),
    getSyncOverview(session.shop),
  ]);
  return { shop: session.shop, summary, sync, limitedHistory: !canReadAllOrders(sync.scopes) };
}

export const action = reportingFailures(handleSubmission);

/** "Sync now": starts (or continues) a full import in the background; the page follows it. */
async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "sync-now")
    return { ok: false, error: `Unknown action "${String(form.get("intent"))}".` };
  await pipeline().startFullSync(session.shop);
  return { ok: true, error: null };
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

function SyncNowButton({ running }: { running: boolean }) {
  const navigation = useNavigation();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="sync-now" />
      <Button submit loading={navigation.state === "submitting"} disabled={running}>
        {running ? "Import running…" : "Sync now"}
      </Button>
    </Form>
  );
}

function SyncStatus({ sync }: { sync: NonNullable<SyncOverview["full"]> }) {
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
        <BlockStack gap="200">
          <p>
            {sync.error ?? "Shopify stopped answering."} Your data is kept; the next import
            continues from where this one stopped.
          </p>
          <SyncNowButton running={false} />
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone="success" title="Your store is in sync">
      <BlockStack gap="200">
        <p>
          Last full import finished{" "}
          {sync.finishedAt
            ? new Date(sync.finishedAt).toLocaleString("en-US", { timeZone: "UTC" }) + " UTC"
            : ""}
          . New orders and customer changes arrive within seconds, and a check for missed changes
          runs every 15 minutes.
        </p>
        <SyncNowButton running={false} />
      </BlockStack>
    </Banner>
  );
}

/** Polls while an import runs, so the progress bar moves without a reload. */
function useRefreshWhile(active: boolean, everyMs = 2000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, revalidator]);
}

export default function Overview() {
  const { summary, sync, limitedHistory } = useLoaderData<typeof loader>();
  useRefreshWhile(sync.full?.status === "running");
  return (
    <Page title="Overview">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {sync.full ? (
              <SyncStatus sync={sync.full} />
            ) : (
              <Card>
                <EmptyState heading="Your store hasn't been imported yet" image="">
                  <BlockStack gap="200" inlineAlign="center">
                    <p>
                      Persegment reads your customers and orders once, then keeps them current as
                      they change. The first import starts when the app is installed and usually
                      takes a few minutes; you can leave this page.
                    </p>
                    <SyncNowButton running={false} />
                  </BlockStack>
                </EmptyState>
              </Card>
            )}
            {limitedHistory ? (
              <Banner tone="warning" title="Order history is limited to the last 60 days">
                <p>
                  Shopify has not granted Persegment access to older orders (the read_all_orders
                  permission), so recency, frequency and spend are computed from the last 60 days of
                  orders only. Everything else works as usual.
                </p>
              </Banner>
            ) : null}
            {sync.full && sync.full.status !== "succeeded" && sync.everCompleted ? (
              <Text as="p" tone="subdued">
                Until this import finishes, segments use the data of the previous complete import.
              </Text>
            ) : null}
          </BlockStack>
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
