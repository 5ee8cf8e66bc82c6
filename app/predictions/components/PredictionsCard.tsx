/** The segments list's card: which method predicts this store, why in a sentence, and a link. */
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { shopDate } from "~/shops/format";
import { MethodBadge } from "./MethodBadge";

export interface PredictionsBrief {
  method: "model" | "heuristic";
  reasons: string[];
  asOf: string;
  customers: number;
}

export const METHOD_SENTENCE = {
  model:
    "Predicted with the BG/NBD buying model and the Gamma-Gamma spend model: on your store's last 90 days they beat simply continuing each customer's past rate.",
  heuristic:
    "Predicted with a plain rule of thumb, days since the last order against each customer's usual interval: the model has not proved itself on your store.",
} as const;

export function PredictionsCard({
  brief,
  timeZone,
}: {
  brief: PredictionsBrief | null;
  timeZone: string;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Predictions
          </Text>
          {brief && <MethodBadge method={brief.method} />}
        </InlineStack>
        <Text as="p">
          {brief
            ? `${METHOD_SENTENCE[brief.method]} ${brief.reasons[0] ?? ""}`
            : "Not computed yet: predictions are refitted once a day, or now from the Predictions page."}
        </Text>
        <InlineStack gap="300" blockAlign="center">
          {brief && (
            <Text as="span" tone="subdued" variant="bodySm">
              {`${new Intl.NumberFormat("en-US").format(brief.customers)} customers, as of ${shopDate(brief.asOf, timeZone)}`}
            </Text>
          )}
          <Link to="/app/predictions">See how predictions did in your store</Link>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
