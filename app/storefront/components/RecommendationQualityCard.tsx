import { Form, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { percent } from "~/domain/upsell/evaluation";
import type { qualityCard } from "~/storefront/quality.server";
import { shopDate } from "~/shops/format";

type Quality = Awaited<ReturnType<typeof qualityCard>>;
const count = new Intl.NumberFormat("en-US");

/**
 * How well the shop's upsell lists predict what shoppers buy together, against simpler ways of
 * choosing them, and the add-ons left out of every list for the merchant to confirm.
 */
export function RecommendationQualityCard({
  quality,
  busy,
}: {
  quality: Quality;
  busy: (productId: string) => boolean;
}) {
  const { evaluation, timeZone, due } = quality;
  useRefreshWhileMeasured(due);
  const firstMeasurement = due && !evaluation && !quality.tooFewOrders;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recommendation quality
        </Text>
        {evaluation ? (
          <>
            <Text as="p">
              Trained on {count.format(evaluation.trainOrders)} orders before{" "}
              {shopDate(evaluation.cutoff, timeZone)}, tested on the{" "}
              {count.format(evaluation.testOrders)} since: how often a product&apos;s list holds
              another product of the same order, in its first 1, 3 or 5 places.
            </Text>
            {due && (
              <Text as="p" tone="subdued">
                {quality.changed
                  ? "Being measured again with your change to the lists; these numbers are from before it."
                  : "Being measured again with the latest orders."}
              </Text>
            )}
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={[
                "Recommendations",
                ...evaluation.methods[0].hits.map((hit) => `Hit@${hit.k}`),
                "Coverage",
                "Products with a list",
              ]}
              rows={evaluation.methods.map((method) => [
                method.label,
                ...method.hits.map((hit) => percent(hit.share)),
                percent(method.coverage),
                percent(method.productsCovered),
              ])}
            />
          </>
        ) : firstMeasurement ? (
          <Text as="p" tone="subdued">
            Being measured on your orders: this takes up to a minute for a large catalogue.
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Not measured: it needs orders from before and within the last 90 days.
          </Text>
        )}
        <Text as="h3" variant="headingSm">
          Add-ons left out of every list
        </Text>
        {firstMeasurement ? null : quality.addOns.length === 0 && quality.excluded.length === 0 ? (
          <Text as="p" tone="subdued">
            None found: no product rides along with a large share of all orders.
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Bought in a large share of all orders whatever else is in them (shipping protection,
            gift wrap): recommending them says nothing about the product shown.
          </Text>
        )}
        {quality.addOns.map((addOn) => (
          <InlineStack key={addOn.id} align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="100">
              <Text as="span">{addOn.title}</Text>
              <InlineStack gap="200">
                <Text as="span" tone="subdued">
                  in {percent(addOn.orderShare)} of orders
                </Text>
                <ChoiceBadge choice={addOn.choice} />
              </InlineStack>
            </BlockStack>
            <InlineStack gap="200">
              {addOn.choice === null ? (
                <>
                  <ChoiceButton id={addOn.id} choice="exclude" busy={busy(addOn.id)}>
                    Confirm
                  </ChoiceButton>
                  <ChoiceButton id={addOn.id} choice="keep" busy={busy(addOn.id)}>
                    Keep recommending
                  </ChoiceButton>
                </>
              ) : (
                <ChoiceButton id={addOn.id} choice="undo" busy={busy(addOn.id)}>
                  Undo
                </ChoiceButton>
              )}
            </InlineStack>
          </InlineStack>
        ))}
        {quality.excluded.map((product) => (
          <InlineStack key={product.id} align="space-between" blockAlign="center">
            <InlineStack gap="200">
              <Text as="span">{product.title}</Text>
              <ChoiceBadge choice="exclude" />
            </InlineStack>
            <ChoiceButton id={product.id} choice="undo" busy={busy(product.id)}>
              Undo
            </ChoiceButton>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

/**
 * While the storefront.evaluate job measures, the page reads its result again every few seconds,
 * for two minutes at most (a job that keeps failing leaves the old numbers marked as such).
 */
function useRefreshWhileMeasured(due: boolean) {
  const { revalidate, state } = useRevalidator();
  const refreshes = useRef(0);
  useEffect(() => {
    if (!due || state !== "idle" || refreshes.current >= MAX_REFRESHES) return;
    const timer = setTimeout(() => {
      refreshes.current += 1;
      revalidate();
    }, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [due, state, revalidate]);
}
const REFRESH_MS = 5_000;
const MAX_REFRESHES = 24;

function ChoiceBadge({ choice }: { choice: string | null }) {
  if (choice === "exclude") return <Badge tone="success">Excluded</Badge>;
  if (choice === "keep") return <Badge>Kept in lists</Badge>;
  return <Badge tone="attention">Left out, please confirm</Badge>;
}

function ChoiceButton({
  id,
  choice,
  busy,
  children,
}: {
  id: string;
  choice: string;
  busy: boolean;
  children: string;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="upsell-choice" />
      <input type="hidden" name="productId" value={id} />
      <input type="hidden" name="choice" value={choice} />
      <Button submit loading={busy} variant={choice === "exclude" ? "primary" : undefined}>
        {children}
      </Button>
    </Form>
  );
}
