/** A segment's size per day as a Polaris Viz line chart. */
import { Box, InlineStack, Text } from "@shopify/polaris";
import { memo } from "react";
import { BrowserChart } from "./BrowserChart";

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
  if (points.length < 2)
    return (
      <Text as="p" tone="subdued">
        The size history starts with the first recompute; come back tomorrow to see a trend.
      </Text>
    );
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <Box>
      <BrowserChart
        kind="line"
        height={HEIGHT}
        label={`Customers in this segment from ${dayLabel(first.day)} (${number.format(first.members)}) to ${dayLabel(last.day)} (${number.format(last.members)})`}
        series={[
          {
            name: "Customers",
            data: points.map((point) => ({ key: point.day, value: point.members })),
          },
        ]}
        xLabel={(day) => day.slice(5)}
        integersOnly
      />
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
