import { DataTable, Text } from "@shopify/polaris";
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

function differenceText({ comparison, difference, unit = "" }: Measure) {
  const { interval } = comparison;
  const main = `${difference(comparison.difference)}${unit}`;
  if (!interval) return main;
  return `${main} (${difference(interval.low)} to ${difference(interval.high)})`;
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
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "text"]}
      headings={["", "Shown the bar", "Held out", "Difference (95 % interval)"]}
      rows={[
        [
          "Customers",
          count.format(report.shownCustomers),
          count.format(report.heldOutCustomers),
          "",
        ],
        ...measures.map((measure) => [
          measure.label,
          measure.value(measure.comparison.shown),
          measure.value(measure.comparison.heldOut),
          <Text key={measure.label} as="span" numeric>
            {differenceText(measure)}
          </Text>,
        ]),
      ]}
    />
  );
}
