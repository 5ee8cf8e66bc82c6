/**
 * A segment's size per day as a Polaris Viz line chart. Polaris Viz reads `window` and
 * `navigator` while rendering, so it is loaded in the browser only; until then a box of the
 * chart's height holds its place (no layout shift) and says what it will show.
 */
import { Box, InlineStack, Text } from "@shopify/polaris";
import { lazy, memo, Suspense, useEffect, useState } from "react";

const LineChart = lazy(() =>
  import("@shopify/polaris-viz").then((viz) => ({
    default: function SizeLineChart({ data }: { data: { key: string; value: number }[] }) {
      return (
        <viz.PolarisVizProvider>
          <viz.LineChart
            theme="Light"
            showLegend={false}
            data={[{ name: "Customers", data }]}
            xAxisOptions={{ labelFormatter: (value) => String(value ?? "").slice(5) }}
            yAxisOptions={{ integersOnly: true }}
          />
        </viz.PolarisVizProvider>
      );
    },
  })),
);

const number = new Intl.NumberFormat("en-US");
const HEIGHT = 220;

/** Memoised: a navigation within the page (sorting, paging the members) leaves the chart alone. */
export const SizeOverTime = memo(function SizeOverTime({
  points,
  dayLabel,
}: {
  points: { day: string; members: number }[];
  /** Formats a YYYY-MM-DD day for the summary line. */
  dayLabel: (day: string) => string;
}) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  if (points.length < 2)
    return (
      <Text as="p" tone="subdued">
        The size history starts with the first recompute; come back tomorrow to see a trend.
      </Text>
    );
  const first = points[0];
  const last = points[points.length - 1];
  const placeholder = (
    <div
      style={{ height: HEIGHT, background: "var(--p-color-bg-surface-secondary)", borderRadius: 8 }}
      aria-hidden
    />
  );
  return (
    <Box>
      <div
        style={{ height: HEIGHT }}
        role="img"
        aria-label={`Customers in this segment from ${dayLabel(first.day)} (${number.format(first.members)}) to ${dayLabel(last.day)} (${number.format(last.members)})`}
      >
        {inBrowser ? (
          <Suspense fallback={placeholder}>
            <LineChart data={points.map((point) => ({ key: point.day, value: point.members }))} />
          </Suspense>
        ) : (
          placeholder
        )}
      </div>
      <InlineStack align="space-between">
        <Text as="span" tone="subdued" variant="bodySm">
          {dayLabel(first.day)}: {number.format(first.members)}
        </Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {dayLabel(last.day)}: {number.format(last.members)}
        </Text>
      </InlineStack>
    </Box>
  );
});
