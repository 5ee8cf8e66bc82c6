import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { ByWidth } from "~/components/ByWidth";
import type { Comparison, LiftReport } from "~/domain/measurement/lift";
import { shopMoney } from "~/shops/format";

/**
 * Shown against held out, side by side, with each difference and its 95 % interval: customers,
 * conversion, orders and revenue per customer (revenue in the shop's currency).
 */

const count = new Intl.NumberFormat("en-US");
const sign = (value: number, text: string) =>
  value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;
const points = (share: number) => sign(share, `${Math.abs(100 * share).toFixed(1)}`);
const decimal = (value: number) => value.toFixed(3);
const signedDecimal = (value: number) => sign(value, Math.abs(value).toFixed(3));

interface Measure {
  label: string;
  comparison: Comparison;
  value: (value: number) => string;
  difference: (value: number) => string;
  unit?: string;
}

/** The difference, and its interval as "low to high" (empty while a group is too small). */
function differenceText({ comparison, difference, unit = "" }: Measure) {
  const { interval } = comparison;
  return {
    main: `${difference(comparison.difference)}${unit}`,
    range: interval ? `${difference(interval.low)} to ${difference(interval.high)}` : "",
  };
}

export function LiftTable({ report, currency }: { report: LiftReport; currency: string }) {
  const money = (cents: number) => shopMoney(String(Math.round(Math.abs(cents))), currency);
  const measures: Measure[] = [
    {
      label: "Ordered at least once",
      comparison: report.conversion,
      value: percent,
      difference: points,
      unit: " points",
    },
    {
      label: "Orders per customer",
      comparison: report.ordersPerCustomer,
      value: decimal,
      difference: signedDecimal,
    },
    {
      label: "Revenue per customer",
      comparison: report.revenuePerCustomerCents,
      value: (cents) => shopMoney(String(Math.round(cents)), currency),
      difference: (cents) => sign(cents, money(cents)),
    },
  ];
  const customers = {
    label: "Customers",
    shown: count.format(report.shownCustomers),
    heldOut: count.format(report.heldOutCustomers),
    difference: { main: "", range: "" },
  };
  const rows = [
    customers,
    ...measures.map((measure) => ({
      label: measure.label,
      shown: measure.value(measure.comparison.shown),
      heldOut: measure.value(measure.comparison.heldOut),
      difference: differenceText(measure),
    })),
  ];
  return (
    <ByWidth
      wide={
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "text"]}
          headings={["", "Shown the bar", "Held out", "Difference (95 % interval)"]}
          rows={rows.map((row) => [
            row.label,
            row.shown,
            row.heldOut,
            <Text key={row.label} as="span" numeric>
              {row.difference.main}
              {row.difference.range && ` (${row.difference.range})`}
            </Text>,
          ])}
        />
      }
      // A phone cannot show four columns: one block per measure, the difference under the groups.
      narrow={
        <BlockStack gap="300">
          {rows.map((row) => (
            <BlockStack key={row.label} gap="050">
              <Text as="h3" variant="headingSm">
                {row.label}
              </Text>
              <Text as="p" numeric>
                Shown {row.shown} · held out {row.heldOut}
              </Text>
              {row.difference.main && (
                <Text as="p" numeric tone="subdued">
                  Difference {row.difference.main}
                  {row.difference.range && `; 95 % interval ${row.difference.range}`}
                </Text>
              )}
            </BlockStack>
          ))}
        </BlockStack>
      }
    />
  );
}
