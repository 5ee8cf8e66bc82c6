/** A customer's stored predictions in the "why" panel, each with its one-line explanation. */
import { Link } from "@remix-run/react";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { PredictionLine } from "~/domain/predictions/explain";
import { shopDate } from "~/shops/format";
import { MethodBadge } from "./MethodBadge";

export interface CustomerPredictionsData {
  method: "model" | "heuristic";
  asOf: string;
  /** False when the customer ordered since the refit: segments ignore them until the next. */
  current: boolean;
  lines: PredictionLine[];
}

export function CustomerPredictions({
  predictions,
  refreshedAt,
  timeZone,
}: {
  predictions: CustomerPredictionsData | null;
  /** The shop's last refresh (null: never). */
  refreshedAt: string | null;
  timeZone: string;
}) {
  return (
    <BlockStack gap="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingMd">
          Predictions
        </Text>
        {predictions && <MethodBadge method={predictions.method} />}
      </InlineStack>
      {predictions ? (
        <>
          {predictions.lines.map((line) => (
            <BlockStack key={line.key} gap="050">
              <InlineStack gap="200" blockAlign="baseline" wrap>
                <Text as="span" fontWeight="medium">
                  {line.label}
                </Text>
                <Text as="span" variant="headingSm">
                  {line.value}
                </Text>
              </InlineStack>
              <Text as="p" tone="subdued" variant="bodySm">
                {line.explanation}
              </Text>
            </BlockStack>
          ))}
          <Text as="p" tone="subdued" variant="bodySm">
            As of the last refit, {shopDate(predictions.asOf, timeZone)}.{" "}
            {!predictions.current &&
              "They have ordered since: segments on predictions leave them out until the next refit. "}
            <Link to="/app/predictions">How well predictions did in your store</Link>
          </Text>
        </>
      ) : (
        <Text as="p" tone="subdued">
          {refreshedAt
            ? `No prediction: this customer had no counted order at the last refit (${shopDate(refreshedAt, timeZone)}).`
            : "Predictions have not been computed for your store yet; they are refitted once a day."}
        </Text>
      )}
    </BlockStack>
  );
}
