import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { pipeline, type AutomaticJob } from "~/pipeline.server";
import { reportingFailures } from "~/errors/report.server";
import { formatShopTime, relativeTime } from "~/shops/format";
import { setupGuide } from "~/shops/setup-guide.server";
import { activateEmbedUrl, TOP_BAR_EMBED } from "~/storefront/extension";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [guide, work] = await Promise.all([
    setupGuide(session.shop, TOP_BAR_EMBED),
    pipeline().automaticWork(session.shop, now),
  ]);
  const automatic = work.map((entry) => ({
    job: entry.job,
    lastRun: entry.lastRun && {
      at: entry.lastRun.finishedAt.toISOString(),
      failed: entry.lastRun.failed,
    },
    nextCheck: entry.nextCheck.toISOString(),
  }));
  return {
    shop: session.shop,
    now: now.toISOString(),
    embedUrl: activateEmbedUrl(session.shop, process.env.SHOPIFY_API_KEY || ""),
    automatic,
    ...guide,
  };
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

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

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

function SyncNowButton({ running, primary }: { running: boolean; primary?: boolean }) {
  const navigation = useNavigation();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="sync-now" />
      <Button
        submit
        variant={primary ? "primary" : undefined}
        loading={navigation.state === "submitting"}
        disabled={running}
      >
        {running ? "Import running…" : "Sync now"}
      </Button>
    </Form>
  );
}

interface Step {
  id: string;
  title: string;
  done: boolean;
  body: React.ReactNode;
  action: React.ReactNode;
  /** The action stays once the step is done (importing again). */
  keepAction?: boolean;
}

function SetupStep({ step, index }: { step: Step; index: number }) {
  return (
    <Box paddingBlock="300">
      <InlineStack gap="300" wrap={false} blockAlign="start">
        <Box minWidth="28px">
          <Text as="span" variant="headingMd" tone={step.done ? "success" : "subdued"}>
            {step.done ? "✓" : `${index + 1}.`}
          </Text>
        </Box>
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {step.title}
            </Text>
            {step.done ? <Badge tone="success">Done</Badge> : <Badge>To do</Badge>}
          </InlineStack>
          <Text as="p" tone="subdued">
            {step.body}
          </Text>
          {(!step.done || step.keepAction) && step.action ? (
            <InlineStack>{step.action}</InlineStack>
          ) : null}
        </BlockStack>
      </InlineStack>
    </Box>
  );
}

function importStep(data: Data): Step {
  const { sync, profile } = data;
  const full = sync.full;
  const running = full?.status === "running";
  const progress =
    full?.recordsTotal && running
      ? Math.min(100, (100 * full.recordsDone) / full.recordsTotal)
      : null;
  let body: React.ReactNode;
  if (running)
    body = (
      <BlockStack gap="200">
        <span>
          Importing ({full!.phase}): {number.format(full!.recordsDone)}
          {full!.recordsTotal ? ` of about ${number.format(full!.recordsTotal)}` : ""} records.
          Segments update as soon as it finishes; you can leave this page.
        </span>
        {progress !== null ? <ProgressBar progress={progress} size="small" /> : null}
      </BlockStack>
    );
  else if (full?.status === "failed")
    body = `The last import did not finish: ${full.error ?? "Shopify stopped answering."} Your data is kept; the next import continues where this one stopped.`;
  else if (sync.everCompleted && full?.finishedAt)
    body = `Your store is in sync. Last full import finished ${formatShopTime(full.finishedAt, profile.timeZone, true)}; new orders and customer changes arrive within seconds.`;
  else
    body =
      "Persegment reads your customers and orders once, then keeps them current as they change. It usually takes a few minutes.";
  return {
    id: "import",
    title: "Import your store",
    done: sync.everCompleted && !running && full?.status !== "failed",
    body,
    action: <SyncNowButton running={running} primary={!sync.everCompleted} />,
    keepAction: true,
  };
}

function embedStep(data: Data): Step {
  const { embed, embedUrl } = data;
  const body =
    embed.state === "on"
      ? `The top bar is on in your live theme (${embed.themeName}).`
      : embed.state === "off"
        ? `The top bar is switched off in your live theme (${embed.themeName}). Turn it on in App embeds and save.`
        : embed.state === "missing"
          ? `Your live theme (${embed.themeName}) does not show Persegment's top bar yet. The theme editor opens with it switched on: press Save.`
          : "reason" in embed
            ? embed.reason
            : "";
  return {
    id: "embed",
    title: "Turn on the top bar in your theme",
    done: embed.state === "on",
    body,
    action: (
      <Button url={embedUrl} target="_top" variant="primary">
        Open theme editor
      </Button>
    ),
  };
}

function StepsCard({ data }: { data: Data }) {
  const steps: Step[] = [
    importStep(data),
    embedStep(data),
    {
      id: "tags",
      title: "Tag customers for Shopify Email",
      done: data.taggedSegments > 0,
      body:
        data.taggedSegments > 0
          ? `${data.taggedSegments} segment${data.taggedSegments === 1 ? " is" : "s are"} written to Shopify as customer tags, so Shopify Email and Flow can use them.`
          : "Pick the segments to write to Shopify as customer tags; Persegment keeps them current every 5 minutes.",
      action: (
        <Button url="/app/tags" variant="primary">
          Choose segments to tag
        </Button>
      ),
    },
    {
      id: "bar",
      title: "Make your first top bar",
      done: data.bars > 0,
      body:
        data.bars > 0
          ? `${data.bars} bar${data.bars === 1 ? "" : "s"} made. Shoppers see the one that fits them.`
          : "Show a message to a segment: free shipping for VIPs, a welcome back for lapsed buyers.",
      action: (
        <Button url="/app/storefront/bars/new" variant="primary">
          Create a top bar
        </Button>
      ),
    },
  ];
  const done = steps.filter((step) => step.done).length;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Setup guide
          </Text>
          <Text as="span" tone="subdued">
            {done} of {steps.length} done
          </Text>
        </InlineStack>
        <ProgressBar progress={(100 * done) / steps.length} size="small" tone="success" />
        <BlockStack>
          {steps.map((step, index) => (
            <div key={step.id} data-step={step.id} data-done={step.done}>
              {index > 0 ? <Divider /> : null}
              <SetupStep step={step} index={index} />
            </div>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

const AUTOMATIC_TEXT: Record<AutomaticJob, { title: string; when: string }> = {
  "tags.write": {
    title: "Customer tags and Shopify segments written",
    when: "Every 5 minutes, only when memberships changed",
  },
  "sync.reconcile": {
    title: "Missed changes checked with Shopify",
    when: "Every 15 minutes",
  },
  "segments.recompute": {
    title: "Segments recomputed for the whole store",
    when: "Once a day (checked hourly), and at once for customers whose orders change",
  },
  "predictions.refresh": {
    title: "Predictions refitted and checked against the last 90 days",
    when: "Once a day (checked hourly); segments on predictions follow",
  },
  "engagement.read": {
    title: "Email engagement groups read from Shopify Email activity",
    when: "Once a day (checked hourly), and after a full sync",
  },
  "segments.performance": {
    title: "Segment performance added up for the periods just ended",
    when: "Hourly, in your store's calendar; all of it again after a full sync",
  },
  "storefront.publish": {
    title: "Bars and recommendations published to your storefront",
    when: "Daily, and 10 minutes after orders change",
  },
};

function AutomaticCard({ data }: { data: Data }) {
  const { profile, now } = data;
  const at = (iso: string) =>
    `${formatShopTime(iso, profile.timeZone)} (${relativeTime(iso, new Date(now))})`;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Runs by itself
          </Text>
          <Text as="p" tone="subdued">
            Nothing here needs a button. Times are in your store's time zone ({profile.timeZone}).
          </Text>
        </BlockStack>
        {data.automatic.map((entry, index) => {
          const text = AUTOMATIC_TEXT[entry.job];
          const off = entry.job === "tags.write" && data.taggedSegments === 0;
          const last =
            entry.lastRun?.at ??
            (entry.job === "sync.reconcile" ? (data.sync.lastReconcile?.finishedAt ?? null) : null);
          return (
            <BlockStack key={entry.job} gap="100">
              {index > 0 ? <Divider /> : null}
              <div data-automatic={entry.job}>
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {text.title}
                    </Text>
                    {off ? (
                      <Badge>Off</Badge>
                    ) : entry.lastRun?.failed ? (
                      <Badge tone="warning">Last run failed; retrying</Badge>
                    ) : null}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {off ? "Off until you tag a segment. " : ""}
                    {text.when}.
                  </Text>
                  <Text as="p">
                    Last run: {last ? at(last) : "not since the app last started"} · Next check:{" "}
                    {at(entry.nextCheck)}
                  </Text>
                </BlockStack>
              </div>
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
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
  const data = useLoaderData<typeof loader>();
  const { summary, sync, limitedHistory } = data;
  useRefreshWhile(sync.full?.status === "running");
  return (
    <Page title="Overview">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {sync.full?.status === "failed" ? (
              <Banner tone="critical" title="The last import did not finish">
                <p>{sync.full.error ?? "Shopify stopped answering."}</p>
              </Banner>
            ) : null}
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
            <StepsCard data={data} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Stat label="Customers" value={summary.customers} />
            <Stat label="Orders" value={summary.orders} />
            <Stat label="Products" value={summary.products} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <AutomaticCard data={data} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
