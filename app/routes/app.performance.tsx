import type { LoaderFunctionArgs, LinksFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState } from "react";
import { GRAINS, isGrain } from "~/domain/segments/periods";
import { BrowserChart } from "~/segments/components/BrowserChart";
import {
  GRAIN_NAMES,
  KPI_HEADINGS,
  kpiCells,
  kpiColumnTypes,
  periodName,
} from "~/segments/components/period-format";
import { comparePerformance, type PerformanceRow } from "~/segments/performance.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = reportingFailures(loadPage);

/** The latest completed period of every replayed segment, side by side (PRODUCT.md §10). */
async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const requested = new URL(request.url).searchParams.get("period");
  const grain = isGrain(requested) ? requested : "week";
  const profile = await shopProfile(session.shop);
  const segments = await comparePerformance(session.shop, grain, profile.timeZone);
  return {
    grain,
    currency: profile.currency,
    timeZone: profile.timeZone,
    segments: segments.map(({ rows, ...segment }) => ({ ...segment, latest: rows.at(-1) ?? null })),
  };
}

const number = new Intl.NumberFormat("en-US");
const whole = (currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 });

/** What the chart compares: a row's value, and how its axis writes values. */
const METRICS = {
  revenue: {
    label: "Revenue",
    value: (row: PerformanceRow) => Number(row.revenueCents) / 100,
    axis: (value: number, currency: string) => whole(currency).format(value),
  },
  conversion: {
    label: "Conversion",
    value: (row: PerformanceRow) => (row.conversion ?? 0) * 100,
    axis: (value: number) => `${value} %`,
  },
  orders: {
    label: "Orders",
    value: (row: PerformanceRow) => row.orders,
    axis: (value: number) => number.format(value),
  },
  aov: {
    label: "Average order value",
    value: (row: PerformanceRow) => Number(row.aovCents ?? 0) / 100,
    axis: (value: number, currency: string) => whole(currency).format(value),
  },
  repeat: {
    label: "Repeat rate",
    value: (row: PerformanceRow) => (row.repeatRate ?? 0) * 100,
    axis: (value: number) => `${value} %`,
  },
  members: {
    label: "Members",
    value: (row: PerformanceRow) => row.members,
    axis: (value: number) => number.format(value),
  },
} as const;

type Metric = keyof typeof METRICS;

export default function ComparePerformance() {
  const data = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const [metric, setMetric] = useState<Metric>("revenue");
  const measured = data.segments.filter((segment) => segment.latest !== null);
  const latestStart = measured[0]?.latest?.start;
  return (
    <Page
      title="Segment performance"
      subtitle="Each segment's latest completed period: the orders of the customers who were in it when the period began."
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h2" variant="headingMd">
                  {latestStart ? periodName(data.grain, latestStart) : "No completed period yet"}
                </Text>
                <ButtonGroup variant="segmented">
                  {GRAINS.map((grain) => (
                    <Button
                      key={grain}
                      pressed={grain === data.grain}
                      onClick={() => setSearchParams({ period: grain })}
                    >
                      {GRAIN_NAMES[grain].adjective}
                    </Button>
                  ))}
                </ButtonGroup>
              </InlineStack>
              {measured.length === 0 ? (
                <Text as="p" tone="subdued">
                  Performance is added up from your orders after the first full sync (within the
                  hour); then every RFM and lifecycle segment appears here.
                </Text>
              ) : (
                <>
                  <Select
                    label="Compare by"
                    options={Object.entries(METRICS).map(([value, { label }]) => ({
                      value,
                      label,
                    }))}
                    value={metric}
                    onChange={(value) => setMetric(value as Metric)}
                  />
                  <BrowserChart
                    kind="bar"
                    horizontal
                    height={Math.max(240, measured.length * 28)}
                    label={`${METRICS[metric].label} per segment`}
                    xLabel={(value) => METRICS[metric].axis(Number(value), data.currency)}
                    series={[
                      {
                        name: METRICS[metric].label,
                        data: measured.map((segment) => ({
                          key: segment.name,
                          value: METRICS[metric].value(segment.latest!),
                        })),
                      },
                    ]}
                  />
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {measured.length > 0 && (
          <Layout.Section>
            <Card padding="0">
              <DataTable
                columnContentTypes={kpiColumnTypes()}
                headings={["Segment", ...KPI_HEADINGS]}
                rows={measured.map((segment) => [
                  <Link key="name" to={`/app/segments/${segment.handle}`}>
                    {segment.name}
                  </Link>,
                  ...kpiCells(segment.latest!, data.currency),
                ])}
                footerContent={`Periods in your store's time zone (${data.timeZone}). Custom segments and segments on predictions are not compared: their past members cannot be rebuilt.`}
              />
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
