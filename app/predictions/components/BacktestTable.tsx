/**
 * The backtest as the merchant sees it: the model, simply continuing each customer's past rate,
 * and the heuristic, side by side on the same held-out days, with every column in plain words.
 */
import { BlockStack, DataTable, Text } from "@shopify/polaris";
import type { BacktestRow } from "~/predictions/overview.server";

const METHOD_NAMES: Record<BacktestRow["method"], string> = {
  model: "Model (BG/NBD)",
  baseline: "Past rate continued",
  heuristic: "Heuristic (usual interval)",
};

const number = (value: number, digits: number) =>
  new Intl.NumberFormat("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
const share = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)}%`);

export function BacktestTable({
  rows,
  horizonDays,
  chosen,
}: {
  rows: BacktestRow[];
  horizonDays: number;
  chosen: "model" | "heuristic";
}) {
  return (
    <BlockStack gap="200">
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[
          "Method",
          "Average miss per customer",
          "Correlation",
          "Orders predicted",
          "Orders placed",
          "Buyers found in the top fifth",
        ]}
        rows={rows.map(({ method, score }) => [
          `${METHOD_NAMES[method]}${method === chosen ? " · in use" : ""}`,
          score ? number(score.meanAbsoluteError, 3) : "not fitted",
          score?.correlation == null ? "–" : number(score.correlation, 2),
          score ? number(score.predictedTotal, 0) : "–",
          score ? number(score.actualTotal, 0) : "–",
          score ? share(score.topFifthBuyerShare) : "–",
        ])}
      />
      <Text as="p" tone="subdued" variant="bodySm">
        Orders count purchase days over the {horizonDays} days held back. Average miss: how far each
        customer&apos;s predicted orders were from what they did (lower is better). Correlation:
        whether customers predicted to buy more did buy more (1 is perfect). Buyers found in the top
        fifth: of the customers who did buy, the share among the fifth with the highest predictions
        (a random pick finds 20%).
      </Text>
    </BlockStack>
  );
}
