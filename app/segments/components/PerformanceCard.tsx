/**
 * A segment's performance per day, week or month (PRODUCT.md §10): the latest completed
 * period's figures against the one before, charts over the kept periods, the recent periods as
 * a table and the whole table as CSV. Switching the period changes no data: all three arrive
 * with the page.
 */
import {
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Text,
} from "@shopify/polaris";
import { type ComponentProps, memo, useState } from "react";
import { relativeChange } from "~/domain/segments/performance";
import { GRAINS, type Grain } from "~/domain/segments/periods";
import type { PerformanceRow } from "~/segments/performance.server";
import { BrowserChart } from "./BrowserChart";
import { money } from "./format";
import {
  changeText,
  GRAIN_NAMES,
  KPI_HEADINGS,
  kpiCells,
  kpiColumnTypes,
  percentOf,
  periodAxisLabel,
  periodName,
} from "./period-format";

const number = new Intl.NumberFormat("en-US");
const CHART_HEIGHT = 200;
/** Periods in the on-page table; the CSV has all of them. */
const TABLE_PERIODS = 12;

function Tile({ label, value, change }: { label: string; value: string; change: string | null }) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="h4" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {change ?? "no earlier period"}
        </Text>
      </BlockStack>
    </Box>
  );
}

function TitledChart({
  title,
  ...chart
}: Omit<ComponentProps<typeof BrowserChart>, "height"> & { title: string }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <BrowserChart height={CHART_HEIGHT} {...chart} />
    </BlockStack>
  );
}

type Rows = Record<Grain, PerformanceRow[]>;

export const PerformanceCard = memo(function PerformanceCard({
  rows,
  currency,
  replayable,
  onDownload,
  downloading,
}: {
  rows: Rows;
  currency: string;
  /** False for segments whose past members cannot be rebuilt (custom, predictions). */
  replayable: boolean;
  onDownload: (grain: Grain) => void;
  downloading: boolean;
}) {
  const [grain, setGrain] = useState<Grain>("week");
  const periods = rows[grain];
  const latest = periods.at(-1);
  const previous = periods.at(-2) ?? null;
  const axis = (key: string) => periodAxisLabel(grain, key);
  const series = (name: string, value: (row: PerformanceRow) => number) => ({
    name,
    data: periods.map((row) => ({ key: row.start, value: value(row) })),
  });
  const compared = (
    value: (row: PerformanceRow) => number | string | null,
    unit: "relative" | "points",
  ) => {
    if (!latest || !previous) return null;
    const now = value(latest);
    const before = value(previous);
    const toNumber = (v: number | string | null) => (v === null ? null : Number(v));
    const change =
      unit === "points"
        ? now === null || before === null
          ? null
          : Number(now) - Number(before)
        : relativeChange(toNumber(now), toNumber(before));
    const text = changeText(change, unit);
    return text && `${text} vs the ${GRAIN_NAMES[grain].noun} before`;
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Performance
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              Orders of the customers who were in the segment when each period began, in your
              store&apos;s time zone and currency.
            </Text>
          </BlockStack>
          {replayable && (
            <InlineStack gap="200" blockAlign="center">
              <ButtonGroup variant="segmented">
                {GRAINS.map((option) => (
                  <Button key={option} pressed={option === grain} onClick={() => setGrain(option)}>
                    {GRAIN_NAMES[option].adjective}
                  </Button>
                ))}
              </ButtonGroup>
              <Button
                onClick={() => onDownload(grain)}
                loading={downloading}
                disabled={periods.length === 0}
              >
                Download CSV
              </Button>
            </InlineStack>
          )}
        </InlineStack>
        {!replayable ? (
          <Text as="p" tone="subdued">
            Performance over time is rebuilt from your orders for the RFM and lifecycle segments.
            This segment&apos;s rule reads data that has no history (such as tags, addresses or
            predictions), so its past members cannot be known.
          </Text>
        ) : !latest ? (
          <Text as="p" tone="subdued">
            Performance is being added up from your orders; it appears after the first full sync
            (within the hour).
          </Text>
        ) : (
          <>
            <Text as="h3" variant="headingSm">
              {periodName(grain, latest.start)}
            </Text>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
              {(
                [
                  ["Members at the end", number.format(latest.members), (row) => row.members],
                  ["Conversion", percentOf(latest.conversion), (row) => row.conversion, "points"],
                  ["Orders", number.format(latest.orders), (row) => row.orders],
                  ["Revenue", money(latest.revenueCents, currency), (row) => row.revenueCents],
                  ["Average order value", money(latest.aovCents, currency), (row) => row.aovCents],
                  ["Repeat rate", percentOf(latest.repeatRate), (row) => row.repeatRate, "points"],
                  ["Entered", `+${number.format(latest.entered)}`, (row) => row.entered],
                  ["Left", `−${number.format(latest.left)}`, (row) => row.left],
                ] as [string, string, (row: PerformanceRow) => number | string | null, "points"?][]
              ).map(([label, value, of, unit]) => (
                <Tile
                  key={label}
                  label={label}
                  value={value}
                  change={compared(of, unit ?? "relative")}
                />
              ))}
            </InlineGrid>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <TitledChart
                title="Members"
                kind="line"
                label={`Members at the end of each ${GRAIN_NAMES[grain].noun}`}
                series={[series("Members", (row) => row.members)]}
                xLabel={axis}
                integersOnly
              />
              <TitledChart
                title="Revenue"
                kind="bar"
                label={`Revenue of each ${GRAIN_NAMES[grain].noun} in ${currency}`}
                series={[series("Revenue", (row) => Number(row.revenueCents) / 100)]}
                xLabel={axis}
                yLabel={(value) => money(String(Math.round(value * 100)), currency)}
              />
              <TitledChart
                title="Conversion and repeat rate"
                kind="line"
                label={`Conversion and repeat rate of each ${GRAIN_NAMES[grain].noun}`}
                series={[
                  series("Conversion", (row) => (row.conversion ?? 0) * 100),
                  series("Repeat rate", (row) => (row.repeatRate ?? 0) * 100),
                ]}
                xLabel={axis}
                yLabel={(value) => `${value} %`}
                showLegend
              />
              <TitledChart
                title="Entered and left"
                kind="bar"
                label={`Customers who entered and left in each ${GRAIN_NAMES[grain].noun}`}
                series={[
                  series("Entered", (row) => row.entered),
                  series("Left", (row) => row.left),
                ]}
                xLabel={axis}
                integersOnly
                showLegend
              />
            </InlineGrid>
            <DataTable
              columnContentTypes={kpiColumnTypes()}
              headings={["Period", ...KPI_HEADINGS]}
              rows={periods
                .slice(-TABLE_PERIODS)
                .reverse()
                .map((row) => [periodName(grain, row.start), ...kpiCells(row, currency)])}
              footerContent={`The last ${Math.min(TABLE_PERIODS, periods.length)} of ${periods.length} ${GRAIN_NAMES[grain].noun}s; the CSV has all of them.`}
            />
          </>
        )}
      </BlockStack>
    </Card>
  );
});
