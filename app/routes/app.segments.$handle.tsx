import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  type ShouldRevalidateFunction,
  useFetcher,
  useLoaderData,
  useNavigate,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  Pagination,
  Text,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useCallback, useState } from "react";
import { rfmGroupName } from "~/domain/segments/rfm";
import { RfmGrid } from "~/segments/components/charts";
import { money } from "~/segments/components/format";
import { shopDate, shopDateTime } from "~/shops/format";
import { CustomerCell, NamesUnavailable } from "~/segments/components/CustomerCell";
import { downloadFile } from "~/segments/components/download";
import { MembersTable } from "~/segments/components/MembersTable";
import { SizeOverTime } from "~/segments/components/SizeOverTime";
import { MOVEMENT_DAYS, peopleForRows, segmentMovements } from "~/segments/people.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { RuleNoticeBanner } from "~/segments/components/RuleNoticeBanner";
import { EngagementCard } from "~/segments/components/EngagementCard";
import { FlowCard } from "~/segments/components/FlowCard";
import { SegmentEditor } from "~/segments/components/SegmentEditor";
import { deleteSegment } from "~/segments/custom.server";
import { segmentEditorAction } from "~/segments/editor-action.server";
import { engagementSource } from "~/segments/engagement.server";
import { segmentFlowStatus, switchFlow } from "~/segments/flow.server";
import { MEMBERS_PER_PAGE, segmentDetail } from "~/segments/overview.server";
import { PerformanceCard } from "~/segments/components/PerformanceCard";
import { replaysHistory, segmentPerformanceByGrain } from "~/segments/performance.server";
import type { Grain } from "~/domain/segments/periods";
import { authenticate } from "~/shopify.server";
import { memberListParams, type MemberSortKey } from "~/domain/segments/member-list";
import { reportingFailures } from "~/errors/report.server";

const RULE_EDITOR_ID = "rule-editor";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = reportingFailures(loadPage);

/** A positive page number from the query (1 when absent or not a number). */
function pageParam(value: string | null) {
  const page = Number(value ?? "1");
  return Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1;
}

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const search = new URL(request.url).searchParams;
  const { sort, direction, page } = memberListParams(search);
  const [detail, locale] = await Promise.all([
    segmentDetail(session.shop, params.handle ?? "", { sort, direction, page }),
    shopProfile(session.shop),
  ]);
  if (!detail) throw new Response("No such segment", { status: 404 });
  const { segment, measure, members } = detail;
  const [movements, flow, engagement, performance] = await Promise.all([
    segmentMovements(session.shop, segment.id, pageParam(search.get("moves"))),
    segmentFlowStatus(segment),
    segment.kind === "engagement" ? engagementSource(session.shop, segment.handle) : null,
    replaysHistory(segment.kind)
      ? segmentPerformanceByGrain(session.shop, segment.id, locale.timeZone)
      : { day: [], week: [], month: [] },
  ]);
  // Names for the rows on screen only, in one Shopify read; they are not stored.
  const { people, namesError } = await peopleForRows(session.shop, [
    ...members.map((member) => member.id),
    ...movements.rows.map((row) => row.customerId),
  ]);
  return {
    currency: locale.currency,
    timeZone: locale.timeZone,
    timeZoneKnown: locale.fromShopify,
    people,
    namesError,
    movements: {
      ...movements,
      days: MOVEMENT_DAYS,
      rows: movements.rows.map((row) => ({ ...row, at: row.at.toISOString() })),
    },
    perPage: MEMBERS_PER_PAGE,
    sort,
    direction,
    page,
    segment: {
      handle: segment.handle,
      name: segment.name,
      kind: segment.kind,
      description: segment.description,
      tagEnabled: segment.tagEnabled,
      rule: segment.rule ? (JSON.parse(segment.rule) as Record<string, unknown>) : null,
    },
    members: members.map((member) => ({
      ...member,
      spentCents: member.spentCents.toString(),
      lastOrderAt: member.lastOrderAt?.toISOString() ?? null,
      enteredAt: member.enteredAt.toISOString(),
    })),
    total: measure.members,
    customers: detail.customers,
    revenueCents: measure.revenueCents.toString(),
    aovCents: measure.orders ? (measure.revenueCents / BigInt(measure.orders)).toString() : null,
    history: detail.history,
    enteredThisWeek: detail.enteredThisWeek,
    leftThisWeek: detail.leftThisWeek,
    movedOut: detail.movedOut,
    movedIn: detail.movedIn,
    grid: detail.grid,
    ruleNotice: detail.ruleNotice,
    flow,
    engagement,
    performance,
    replayable: replaysHistory(segment.kind),
  };
}

/** Opening or closing a customer's "why" panel changes no data on this page. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) => {
  if (formMethod && formMethod !== "GET") return defaultShouldRevalidate;
  const page = (url: URL) => url.pathname.replace(/\/customers\/[^/]+$/, "");
  if (page(currentUrl) === page(nextUrl) && currentUrl.search === nextUrl.search) return false;
  return defaultShouldRevalidate;
};

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const handle = params.handle ?? "";
  if (form.get("intent") === "flow") return switchFlow(session.shop, handle, form.get("on"));
  if (form.get("intent") === "delete") {
    if (!(await deleteSegment(session.shop, handle)))
      return Response.json(
        { ok: false, error: "Only custom segments can be deleted." },
        { status: 400 },
      );
    return redirect("/app/segments");
  }
  const response = await segmentEditorAction(session.shop, form, handle);
  return response ?? Response.json({ ok: false, error: "Unknown action." }, { status: 400 });
}

const number = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** Stat days are UTC calendar days. */
const dayLabel = (day: string) => shopDate(`${day}T00:00:00Z`, "UTC");

export default function SegmentDetail() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const remove = useFetcher();
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [downloadingPerformance, setDownloadingPerformance] = useState(false);
  const { segment } = data;
  const pages = Math.max(1, Math.ceil(data.total / data.perPage));
  const movedOutTotal = data.movedOut.reduce((sum, move) => sum + move.customers, 0);
  const movementPages = Math.max(1, Math.ceil(data.movements.total / data.movements.perPage));
  // Stable between navigations, so the memoised members table is not drawn again on a click.
  const whyHref = useCallback(
    (id: string) => {
      const query = searchParams.toString() ? `?${searchParams.toString()}` : "";
      return `/app/segments/${segment.handle}/customers/${id.split("/").pop()}${query}`;
    },
    [searchParams, segment.handle],
  );
  const setQuery = useCallback(
    (changes: Record<string, string>) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) next.set(key, value);
      setSearchParams(next);
    },
    [searchParams, setSearchParams],
  );
  const downloadPerformance = useCallback(
    (grain: Grain) => {
      setDownloadingPerformance(true);
      setExportError(null);
      downloadFile(
        `/app/segments/${segment.handle}/performance?period=${grain}`,
        `persegment-${segment.handle}-by-${grain}.csv`,
      )
        .catch((error: Error) => setExportError(error.message))
        .finally(() => setDownloadingPerformance(false));
    },
    [segment.handle],
  );
  const onSort = useCallback(
    (sort: MemberSortKey, direction: "asc" | "desc") => setQuery({ sort, direction, page: "1" }),
    [setQuery],
  );

  return (
    <Page
      title={segment.name}
      subtitle={segment.description}
      titleMetadata={
        <Badge tone={segment.kind === "custom" ? "info" : undefined}>
          {segment.kind === "rfm"
            ? "RFM group"
            : segment.kind === "lifecycle"
              ? "Lifecycle"
              : segment.kind === "prediction"
                ? "Prediction"
                : segment.kind === "engagement"
                  ? "Email engagement"
                  : "Custom"}
        </Badge>
      }
      backAction={{ content: "Segments", onAction: () => navigate("/app/segments") }}
      primaryAction={{
        content: "Export CSV",
        loading: exporting,
        disabled: data.total === 0,
        onAction: () => {
          setExporting(true);
          setExportError(null);
          downloadFile(`/app/segments/${segment.handle}/export`, `persegment-${segment.handle}.csv`)
            .catch((error: Error) => setExportError(error.message))
            .finally(() => setExporting(false));
        },
      }}
      secondaryActions={
        segment.kind === "custom"
          ? [
              {
                content: "Delete segment",
                destructive: true,
                onAction: () => {
                  if (
                    confirm(
                      `Delete "${segment.name}"? Its history is deleted too; customers keep their orders.`,
                    )
                  )
                    remove.submit({ intent: "delete" }, { method: "post" });
                },
              },
            ]
          : []
      }
    >
      <Layout>
        {data.ruleNotice && (
          <Layout.Section>
            <RuleNoticeBanner
              notice={data.ruleNotice}
              onEdit={() =>
                document.getElementById(RULE_EDITOR_ID)?.scrollIntoView({ behavior: "smooth" })
              }
            />
          </Layout.Section>
        )}
        {data.namesError && (
          <Layout.Section>
            <NamesUnavailable error={data.namesError} />
          </Layout.Section>
        )}
        {exportError && (
          <Layout.Section>
            <Banner
              tone="critical"
              title="The export did not download"
              onDismiss={() => setExportError(null)}
            >
              <p>{exportError}. Nothing was changed; try again in a moment.</p>
            </Banner>
          </Layout.Section>
        )}
        {movedOutTotal > 0 && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`${number.format(movedOutTotal)} customer${movedOutTotal === 1 ? "" : "s"} left ${segment.name} this week`}
            >
              <p>
                {data.movedOut
                  .map((move) => `${number.format(move.customers)} to ${rfmGroupName(move.to)}`)
                  .join(", ")}
                .
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
            <Stat
              label="Customers"
              value={`${number.format(data.total)} (${percent.format(data.customers ? data.total / data.customers : 0)})`}
            />
            <Stat label="Revenue" value={money(data.revenueCents, data.currency)} />
            <Stat label="Average order value" value={money(data.aovCents, data.currency)} />
            <Stat
              label="This week"
              value={`+${number.format(data.enteredThisWeek)} / −${number.format(data.leftThisWeek)}`}
            />
          </InlineGrid>
        </Layout.Section>
        {data.engagement && (
          <Layout.Section>
            <EngagementCard source={data.engagement} timeZone={data.timeZone} />
          </Layout.Section>
        )}
        <Layout.Section>
          <PerformanceCard
            rows={data.performance}
            currency={data.currency}
            replayable={data.replayable}
            onDownload={downloadPerformance}
            downloading={downloadingPerformance}
          />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Size over the last 90 days
              </Text>
              <SizeOverTime points={data.history} dayLabel={dayLabel} />
              {data.movedIn.length > 0 && (
                <Text as="p" tone="subdued">
                  Joined this week from:{" "}
                  {data.movedIn
                    .map((move) => `${rfmGroupName(move.from)} (${number.format(move.customers)})`)
                    .join(", ")}
                  .
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {data.total === 0 ? (
              <EmptyState heading="No customers in this segment right now" image="">
                <p>
                  Customers join as soon as they match: new orders are applied within seconds, and
                  every segment is recomputed daily.
                </p>
              </EmptyState>
            ) : (
              <BlockStack>
                <MembersTable
                  members={data.members}
                  people={data.people}
                  currency={data.currency}
                  timeZone={data.timeZone}
                  sort={data.sort}
                  direction={data.direction}
                  whyHref={whyHref}
                  onSort={onSort}
                />
                <Box paddingInline="400" paddingBlockStart="200">
                  <Text as="p" tone="subdued" variant="bodySm">
                    Page {data.page} of {pages} · {number.format(data.total)} customers
                  </Text>
                </Box>
                <div style={{ display: "flex", justifyContent: "center", padding: 12 }}>
                  <Pagination
                    hasPrevious={data.page > 1}
                    hasNext={data.page < pages}
                    onPrevious={() => setQuery({ page: String(data.page - 1) })}
                    onNext={() => setQuery({ page: String(data.page + 1) })}
                  />
                </div>
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack>
              <Box padding="400" paddingBlockEnd="200">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Entered and left in the last {data.movements.days} days
                  </Text>
                  <Text as="p" tone="subdued" variant="bodySm">
                    Times in your store's time zone ({data.timeZone}
                    {data.timeZoneKnown ? "" : ", until Shopify tells us yours"}).
                  </Text>
                </BlockStack>
              </Box>
              {data.movements.total === 0 ? (
                <Box padding="400" paddingBlockStart="0">
                  <Text as="p" tone="subdued">
                    Nobody entered or left {segment.name} in the last {data.movements.days} days.
                  </Text>
                </Box>
              ) : (
                <>
                  <DataTable
                    columnContentTypes={["text", "text"]}
                    headings={["Customer", "Entered or left"]}
                    rows={data.movements.rows.map((row) => [
                      <CustomerCell
                        key="customer"
                        id={row.customerId}
                        person={data.people[row.customerId]}
                        whyHref={whyHref(row.customerId)}
                      />,
                      <BlockStack key="change" gap="100" inlineAlign="start">
                        <Badge tone={row.kind === "entered" ? "success" : "warning"}>
                          {row.kind === "entered" ? "Entered" : "Left"}
                        </Badge>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {shopDateTime(row.at, data.timeZone)}
                        </Text>
                      </BlockStack>,
                    ])}
                    footerContent={`Page ${data.movements.page} of ${movementPages} · ${number.format(data.movements.total)} changes`}
                  />
                  <div style={{ display: "flex", justifyContent: "center", padding: 12 }}>
                    <Pagination
                      label="Entered and left"
                      hasPrevious={data.movements.page > 1}
                      hasNext={data.movements.page < movementPages}
                      onPrevious={() => setQuery({ moves: String(data.movements.page - 1) })}
                      onNext={() => setQuery({ moves: String(data.movements.page + 1) })}
                    />
                  </div>
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {segment.kind === "rfm" && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Where {segment.name} sits in the RFM grid
                </Text>
                <RfmGrid cells={data.grid} />
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {segment.kind === "prediction" && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  From your predictions
                </Text>
                <Text as="p">
                  Members follow the daily refit of your store&apos;s predictions; the thresholds
                  are in <Link to="/app/settings">Settings</Link>. Open a customer to see their
                  predictions explained, or{" "}
                  <Link to="/app/predictions">see how predictions did in your store</Link>.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <FlowCard segment={segment} flow={data.flow} timeZone={data.timeZone} />
        </Layout.Section>
        {segment.kind === "custom" && segment.rule && (
          <Layout.Section>
            <BlockStack gap="300">
              <Text as="h2" variant="headingLg" id={RULE_EDITOR_ID}>
                Edit rule
              </Text>
              <SegmentEditor
                initial={{
                  name: segment.name,
                  description: segment.description,
                  rule: segment.rule,
                }}
                submitLabel="Save changes"
              />
            </BlockStack>
          </Layout.Section>
        )}
      </Layout>
      <Outlet />
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page title="Segment" backAction={{ content: "Segments", url: "/app/segments" }}>
      <Banner
        tone={missing ? "warning" : "critical"}
        title={missing ? "This segment doesn't exist" : "This segment could not be loaded"}
      >
        <p>
          {missing
            ? "It may have been deleted. Go back to the list to see your segments."
            : "Your data is safe. Reload the page in a moment."}
        </p>
      </Banner>
    </Page>
  );
}
