import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { ByWidth } from "~/components/ByWidth";
import type { BarDayTotals } from "~/domain/measurement/bar-events";
import { periodName } from "~/segments/components/period-format";

/**
 * How often shoppers saw, clicked and closed the bar, per day and in total, as the app's pixel
 * counted them on the storefront.
 */

type Totals = Omit<BarDayTotals, "day">;

const count = new Intl.NumberFormat("en-US");
const rate = (share: number | null) => (share === null ? "–" : `${(100 * share).toFixed(1)} %`);

const cells = (totals: Totals) => [
  count.format(totals.impressions),
  count.format(totals.clicks),
  count.format(totals.dismissals),
  rate(totals.clickThrough),
];

export function BarViewsCard({
  days,
  total,
  holdoutPercent,
}: {
  days: BarDayTotals[];
  total: Totals;
  holdoutPercent: number;
}) {
  const rows = [
    ...days.map((day) => ({ label: periodName("day", day.day), totals: day })),
    { label: "All days", totals: total },
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Views and clicks
        </Text>
        {days.length === 0 ? (
          <Text as="p">
            No views counted yet. Each time a shopper sees the bar, clicks its link or closes it, it
            is counted here, by day.
          </Text>
        ) : (
          <ByWidth
            wide={
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Day", "Times shown", "Clicks", "Closed", "Click-through rate"]}
                rows={rows.map((row) => [row.label, ...cells(row.totals)])}
              />
            }
            narrow={
              <BlockStack gap="200">
                {rows.map((row) => (
                  <Text key={row.label} as="p" numeric>
                    <Text as="span" fontWeight="semibold">
                      {row.label}
                    </Text>
                    : shown {cells(row.totals)[0]} · clicks {cells(row.totals)[1]} · closed{" "}
                    {cells(row.totals)[2]} · click-through {cells(row.totals)[3]}
                  </Text>
                ))}
              </BlockStack>
            }
          />
        )}
        <Text as="p" tone="subdued">
          Click-through rate is clicks per time shown. Counted only for shoppers who allow analytics
          on your store, so the numbers are lower than your visits; nothing about the shopper is
          kept, only these counts.
          {holdoutPercent > 0 &&
            ` The ${holdoutPercent} % of customers held out never see the bar, so they have no views or clicks: whether the bar changes what people buy is in the comparison of orders, not here.`}
        </Text>
      </BlockStack>
    </Card>
  );
}
