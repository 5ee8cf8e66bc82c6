import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  ChoiceList,
  EmptyState,
  Filters,
  InlineStack,
  Layout,
  Page,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { rfmGroupName } from "~/domain/segments/rfm";
import { engagementUnavailableReason } from "~/domain/segments/engagement";
import { SEGMENT_TEMPLATES } from "~/domain/segments/templates";
import { useMemo, useState } from "react";
import { findShop } from "~/models/shop.server";
import { formatShopTime } from "~/shops/format";
import { shopProfile } from "~/shops/shop-profile.server";
import { ByWidth } from "~/components/ByWidth";
import { RfmGrid } from "~/segments/components/charts";
import { EngagementNotice } from "~/segments/components/EngagementNotice";
import { KIND_LABEL, SegmentsNarrowList, SegmentsTable } from "~/segments/components/SegmentsList";
import { PredictionsCard } from "~/predictions/components/PredictionsCard";
import { predictionsInBrief } from "~/predictions/overview.server";
import { listSegmentOverview, rfmGrid, rfmMovement } from "~/segments/overview.server";
import { recomputeShop } from "~/segments/recompute.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [overview, grid, movement, shop, profile, predictions] = await Promise.all([
    listSegmentOverview(session.shop, now),
    rfmGrid(session.shop),
    rfmMovement(session.shop, new Date(now.getTime() - 7 * 86_400_000)),
    findShop(session.shop),
    shopProfile(session.shop),
    predictionsInBrief(session.shop),
  ]);
  return {
    ...overview,
    grid,
    movement,
    predictions,
    currency: profile.currency,
    timeZone: profile.timeZone,
    recomputedAt: shop?.recomputedAsOf?.toISOString() ?? null,
    engagementNotice: engagementUnavailableReason({
      sendsShopifyEmail: shop?.sendsShopifyEmail ?? null,
      hasGroups: overview.segments.some((segment) => segment.kind === "engagement"),
    }),
  };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "recompute")
    return Response.json({ ok: false, error: "Unknown action." }, { status: 400 });
  const result = await recomputeShop(session.shop);
  return { ok: true, entered: result.entered, left: result.left, customers: result.customers };
}

const number = new Intl.NumberFormat("en-US");

/**
 * Search words and type filter, on the page only (a URL change would reload the list's data on
 * every keystroke); `?q=` and `?type=` in a link start them.
 */
function useSegmentFilters() {
  const [params] = useSearchParams();
  const [query, setQuery] = useState(() => params.get("q") ?? "");
  const [kinds, setKinds] = useState(() => params.getAll("type"));
  return { query, kinds, setQuery, setKinds };
}

export default function Segments() {
  const data = useLoaderData<typeof loader>();
  const recompute = useFetcher<typeof action>();
  const navigation = useNavigation();
  const busy = recompute.state !== "idle";
  const leftChampions = data.movement.filter((move) => move.from === "champions");
  const leftChampionsTotal = leftChampions.reduce((sum, move) => sum + move.customers, 0);
  const failing = data.segments.filter((segment) => segment.ruleNotice);
  const filters = useSegmentFilters();
  const shown = useMemo(() => {
    const words = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
    return data.segments.filter((segment) => {
      const kindOk =
        filters.kinds.length === 0 ||
        filters.kinds.includes(segment.kind) ||
        (filters.kinds.includes("tagged") && segment.tagEnabled);
      const text = `${segment.name} ${segment.handle} ${segment.description}`.toLowerCase();
      return kindOk && words.every((word) => text.includes(word));
    });
  }, [data.segments, filters.query, filters.kinds]);

  const recomputeAction = {
    content: busy ? "Recomputing…" : "Recompute now",
    loading: busy,
    onAction: () => recompute.submit({ intent: "recompute" }, { method: "post" }),
  };

  if (data.segments.length === 0)
    return (
      <Page title="Segments">
        <Card>
          <EmptyState
            heading={data.customers ? "Compute your first segments" : "No customers yet"}
            action={data.customers ? recomputeAction : undefined}
            image=""
          >
            <p>
              {data.customers
                ? `${number.format(data.customers)} customers are imported. Computing sorts them into Shopify's eleven RFM groups, seven lifecycle segments and two on predictions, with every customer's scores visible.`
                : "Segments appear once your customers and orders have been imported. The import starts automatically after installation."}
            </p>
          </EmptyState>
        </Card>
      </Page>
    );

  return (
    <Page
      title="Segments"
      subtitle={
        data.recomputedAt
          ? `Recomputed daily; last full run ${formatShopTime(data.recomputedAt, data.timeZone)}. New orders update customers within seconds.`
          : undefined
      }
      primaryAction={{ content: "Create segment", url: "/app/segments/new" }}
      secondaryActions={[
        { content: "Compare performance", url: "/app/performance" },
        recomputeAction,
      ]}
    >
      <Layout>
        {recompute.data && "entered" in recompute.data && (
          <Layout.Section>
            <Banner tone="success" title="Segments recomputed">
              <p>
                {number.format(recompute.data.customers)} customers checked:{" "}
                {number.format(recompute.data.entered)} joined and{" "}
                {number.format(recompute.data.left)} left a segment.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {failing.length > 0 && (
          <Layout.Section>
            <Banner
              tone="critical"
              title={`${failing.length} segment${failing.length === 1 ? "" : "s"}: the rule could not be evaluated`}
            >
              <p>
                Their members are kept as they were until the rule works again. Open{" "}
                {failing.map((segment, index) => (
                  <span key={segment.id}>
                    {index > 0 && ", "}
                    <Link to={`/app/segments/${segment.handle}`}>{segment.name}</Link>
                  </span>
                ))}{" "}
                to see why and edit the rule.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {leftChampionsTotal > 0 && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`${number.format(leftChampionsTotal)} customer${leftChampionsTotal === 1 ? "" : "s"} left Champions this week`}
            >
              <p>
                {leftChampions
                  .map((move) => `${number.format(move.customers)} to ${rfmGroupName(move.to)}`)
                  .join(", ")}
                . <Link to="/app/segments/champions">See Champions</Link>
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <Filters
              queryValue={filters.query}
              queryPlaceholder="Search segments"
              onQueryChange={filters.setQuery}
              onQueryClear={() => filters.setQuery("")}
              onClearAll={() => {
                filters.setQuery("");
                filters.setKinds([]);
              }}
              filters={[
                {
                  key: "type",
                  label: "Type",
                  shortcut: true,
                  filter: (
                    <ChoiceList
                      title="Type"
                      titleHidden
                      allowMultiple
                      choices={[
                        { label: "RFM", value: "rfm" },
                        { label: "Lifecycle", value: "lifecycle" },
                        { label: "Prediction", value: "prediction" },
                        { label: "Email engagement", value: "engagement" },
                        { label: "Custom", value: "custom" },
                        { label: "Tagged", value: "tagged" },
                      ]}
                      selected={filters.kinds}
                      onChange={filters.setKinds}
                    />
                  ),
                },
              ]}
              appliedFilters={
                filters.kinds.length
                  ? [
                      {
                        key: "type",
                        label: `Type: ${filters.kinds.map((kind) => (kind === "tagged" ? "Tagged" : KIND_LABEL[kind])).join(", ")}`,
                        onRemove: () => filters.setKinds([]),
                      },
                    ]
                  : []
              }
            />
            {navigation.state === "loading" ? (
              <Card>
                <SkeletonBodyText lines={8} />
              </Card>
            ) : (
              <ByWidth
                wide={<SegmentsTable segments={shown} currency={data.currency} />}
                narrow={<SegmentsNarrowList segments={shown} currency={data.currency} />}
              />
            )}
          </Card>
        </Layout.Section>
        {data.engagementNotice && (
          <Layout.Section>
            <EngagementNotice reason={data.engagementNotice} />
          </Layout.Section>
        )}
        <Layout.Section>
          <PredictionsCard brief={data.predictions} timeZone={data.timeZone} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                RFM grid
              </Text>
              <RfmGrid cells={data.grid} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Start a segment from a template
              </Text>
              <BlockStack gap="200">
                {SEGMENT_TEMPLATES.map((template) => (
                  <InlineStack key={template.id} gap="200" blockAlign="center">
                    <Link to={`/app/segments/new?template=${template.id}`}>
                      <Text as="span" fontWeight="semibold">
                        {template.name}
                      </Text>
                    </Link>
                    <Text as="span" tone="subdued">
                      {template.description} Next: {template.action.label}.
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return (
    <Page title="Segments">
      <Banner tone="critical" title="Segments could not be loaded">
        <p>
          Your data is safe. Reload the page; if this keeps happening, the app's database may be
          unavailable for a moment.
        </p>
      </Banner>
    </Page>
  );
}
