import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  isRouteErrorResponse,
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
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  Pagination,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { rfmGroupName } from "~/domain/segments/rfm";
import { findShop } from "~/models/shop.server";
import { RfmGrid, SizeChart } from "~/segments/components/charts";
import { money } from "~/segments/components/format";
import { RuleNoticeBanner } from "~/segments/components/RuleNoticeBanner";
import { SegmentEditor } from "~/segments/components/SegmentEditor";
import { deleteSegment } from "~/segments/custom.server";
import { segmentEditorAction } from "~/segments/editor-action.server";
import { MEMBERS_PER_PAGE, segmentDetail } from "~/segments/overview.server";
import { authenticate } from "~/shopify.server";
import { memberListParams, type MemberSortKey } from "~/domain/segments/member-list";
import { reportingFailures } from "~/errors/report.server";

const RULE_EDITOR_ID = "rule-editor";
const SORT_COLUMNS: MemberSortKey[] = ["orders", "spent", "last_order", "r", "f", "m"];

export const loader = reportingFailures(loadPage);

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { sort, direction, page } = memberListParams(new URL(request.url).searchParams);
  const [detail, shop] = await Promise.all([
    segmentDetail(session.shop, params.handle ?? "", { sort, direction, page }),
    findShop(session.shop),
  ]);
  if (!detail) throw new Response("No such segment", { status: 404 });
  const { segment, measure, members } = detail;
  return {
    currency: shop?.currencyCode ?? "USD",
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
  };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const handle = params.handle ?? "";
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
const date = (iso: string | null) => (iso ? iso.slice(0, 10) : "–");

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

/** Downloads the segment's CSV through an authenticated fetch (App Bridge adds the session token). */
async function downloadCsv(handle: string) {
  const response = await fetch(`/app/segments/${handle}/export`);
  if (!response.ok) throw new Error(`Export failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `persegment-${handle}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

export default function SegmentDetail() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const remove = useFetcher();
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const { segment } = data;
  const pages = Math.max(1, Math.ceil(data.total / data.perPage));
  const movedOutTotal = data.movedOut.reduce((sum, move) => sum + move.customers, 0);

  const setQuery = (changes: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    setSearchParams(next);
  };

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
          downloadCsv(segment.handle)
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
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
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
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Size over the last 90 days
              </Text>
              <SizeChart points={data.history} />
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
                <DataTable
                  columnContentTypes={[
                    "text",
                    "numeric",
                    "numeric",
                    "text",
                    "numeric",
                    "numeric",
                    "numeric",
                    "text",
                    "text",
                  ]}
                  headings={[
                    "Customer",
                    "Orders",
                    "Spent",
                    "Last order",
                    "R",
                    "F",
                    "M",
                    "RFM group",
                    "Shopify's RFM group",
                  ]}
                  sortable={[false, true, true, true, true, true, true, false, false]}
                  defaultSortDirection="descending"
                  initialSortColumnIndex={SORT_COLUMNS.indexOf(data.sort) + 1 || undefined}
                  onSort={(index, direction) =>
                    setQuery({
                      sort: SORT_COLUMNS[index - 1],
                      direction: direction === "ascending" ? "asc" : "desc",
                      page: "1",
                    })
                  }
                  rows={data.members.map((member) => {
                    const numericId = member.id.split("/").pop();
                    const agrees =
                      member.shopifyRfmGroup === null
                        ? null
                        : member.shopifyRfmGroup === member.rfmGroup;
                    return [
                      <a key="id" href={`shopify://admin/customers/${numericId}`} target="_top">
                        Customer {numericId}
                      </a>,
                      number.format(member.orders),
                      money(member.spentCents, data.currency),
                      date(member.lastOrderAt),
                      member.r ?? "–",
                      member.f ?? "–",
                      member.m ?? "–",
                      rfmGroupName(member.rfmGroup),
                      member.shopifyRfmGroup === null ? (
                        <Text key="shopify" as="span" tone="subdued">
                          not shared by Shopify
                        </Text>
                      ) : (
                        <Text key="shopify" as="span" tone={agrees ? "success" : "caution"}>
                          {rfmGroupName(member.shopifyRfmGroup)} {agrees ? "✓" : "≠"}
                        </Text>
                      ),
                    ];
                  })}
                  footerContent={`Page ${data.page} of ${pages} · ${number.format(data.total)} customers`}
                />
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
