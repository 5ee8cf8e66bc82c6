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
import { memo, useState } from "react";
import { relativeChange } from "~/domain/segments/performance";
import { GRAINS, type Grain } from "~/domain/segments/periods";
import type { PerformanceRow } from "~/segments/performance.server";
import { BrowserChart } from "./BrowserChart";
import { money } from "./format";
import { changeText, GRAIN_NAMES, percentOf, periodAxisLabel, periodName } from "./period-format";

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
              <Tile
                label="Members at the end"
                value={number.format(latest.members)}
                change={compared((row) => row.members, "relative")}
              />
              <Tile
                label="Conversion"
                value={percentOf(latest.conversion)}
                change={compared((row) => row.conversion, "points")}
              />
              <Tile
                label="Orders"
                value={number.format(latest.orders)}
                change={compared((row) => row.orders, "relative")}
              />
              <Tile
                label="Revenue"
                value={money(latest.revenueCents, currency)}
                change={compared((row) => row.revenueCents, "relative")}
              />
              <Tile
                label="Average order value"
                value={money(latest.aovCents, currency)}
                change={compared((row) => row.aovCents, "relative")}
              />
              <Tile
                label="Repeat rate"
                value={percentOf(latest.repeatRate)}
                change={compared((row) => row.repeatRate, "points")}
              />
              <Tile
                label="Entered"
                value={`+${number.format(latest.entered)}`}
                change={compared((row) => row.entered, "relative")}
              />
              <Tile
                label="Left"
                value={`−${number.format(latest.left)}`}
                change={compared((row) => row.left, "relative")}
              />
            </InlineGrid>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Members
                </Text>
                <BrowserChart
                  kind="line"
                  height={CHART_HEIGHT}
                  label={`Members at the end of each ${GRAIN_NAMES[grain].noun}`}
                  series={[series("Members", (row) => row.members)]}
                  xLabel={axis}
                  integersOnly
                />
              </BlockStack>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Revenue
                </Text>
                <BrowserChart
                  kind="bar"
                  height={CHART_HEIGHT}
                  label={`Revenue of each ${GRAIN_NAMES[grain].noun} in ${currency}`}
                  series={[series("Revenue", (row) => Number(row.revenueCents) / 100)]}
                  xLabel={axis}
                  yLabel={(value) => money(String(Math.round(value * 100)), currency)}
                />
              </BlockStack>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Conversion and repeat rate
                </Text>
                <BrowserChart
                  kind="line"
                  height={CHART_HEIGHT}
                  label={`Conversion and repeat rate of each ${GRAIN_NAMES[grain].noun}`}
                  series={[
                    series("Conversion", (row) => (row.conversion ?? 0) * 100),
                    series("Repeat rate", (row) => (row.repeatRate ?? 0) * 100),
                  ]}
                  xLabel={axis}
                  yLabel={(value) => `${value} %`}
                  showLegend
                />
              </BlockStack>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Entered and left
                </Text>
                <BrowserChart
                  kind="bar"
                  height={CHART_HEIGHT}
                  label={`Customers who entered and left in each ${GRAIN_NAMES[grain].noun}`}
                  series={[
                    series("Entered", (row) => row.entered),
                    series("Left", (row) => row.left),
                  ]}
                  xLabel={axis}
                  integersOnly
                  showLegend
                />
              </BlockStack>
            </InlineGrid>
            <DataTable
              columnContentTypes={[
                "text",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
              ]}
              headings={[
                "Period",
                "Members",
                "Conversion",
                "Orders",
                "Revenue",
                "AOV",
                "Repeat rate",
                "Entered / left",
              ]}
              rows={periods
                .slice(-TABLE_PERIODS)
                .reverse()
                .map((row) => [
                  periodName(grain, row.start),
                  number.format(row.members),
                  percentOf(row.conversion),
                  number.format(row.orders),
                  money(row.revenueCents, currency),
                  money(row.aovCents, currency),
                  percentOf(row.repeatRate),
                  `+${number.format(row.entered)} / −${number.format(row.left)}`,
                ])}
              footerContent={`The last ${Math.min(TABLE_PERIODS, periods.length)} of ${periods.length} ${GRAIN_NAMES[grain].noun}s; the CSV has all of them.`}
            />
          </>
        )}
      </BlockStack>
    </Card>
  );
});
