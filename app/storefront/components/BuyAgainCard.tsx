import { BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { DEFAULT_REPURCHASE_OPTIONS } from "~/domain/buy-again/repurchase-intervals";
import type { buyAgainOverview } from "~/storefront/buy-again.server";

type Overview = Awaited<ReturnType<typeof buyAgainOverview>>;

const { minRepurchases, minCustomers, minRepeatShare } = DEFAULT_REPURCHASE_OPTIONS;

/**
 * The replenishable products and how often they are bought again: what the buy-again block
 * ranks a logged-in customer's own past products by.
 */
export function BuyAgainCard({
  overview: { products, count },
  addBlockUrl,
}: {
  overview: Overview;
  addBlockUrl: string;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Buy again
          </Text>
          <Button url={addBlockUrl} target="_blank">
            Add the Buy it again block
          </Button>
        </InlineStack>
        <Text as="p">
          The Buy it again block shows logged-in customers the products they buy regularly once they
          are due again, most due first: the days since they last bought it against how often
          customers buy it again. Your theme reads the customer&apos;s own orders; nothing about a
          customer is written to your store or sent to Persegment. Guests, and customers with
          nothing due, see nothing.
        </Text>
        {products.length === 0 ? (
          <Text as="p" tone="subdued">
            No product is bought again often enough yet. A product counts once its customers bought
            it again at least {minRepurchases} times, at least {minCustomers} of them and at least{" "}
            {Math.round(minRepeatShare * 100)} % of its buyers.
          </Text>
        ) : (
          <>
            <DataTable
              columnContentTypes={["text", "numeric", "text"]}
              headings={["Product", "Bought again every", "From"]}
              rows={products.map((product) => [
                product.title,
                `${product.days} ${product.days === 1 ? "day" : "days"}`,
                `${product.repurchases} repurchases by ${product.repeatCustomers} of ${product.customers} customers`,
              ])}
            />
            {count > products.length && (
              <Text as="p" tone="subdued">
                The {products.length} most bought again of {count} products with an interval.
              </Text>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}
