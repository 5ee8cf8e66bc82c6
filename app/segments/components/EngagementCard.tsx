import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import { formatShopTime } from "~/shops/format";

export interface EngagementSource {
  /** The Shopify segment query that selects the members. */
  query: string;
  /** When the members were last read from Shopify (null: not yet). */
  readAt: string | null;
}

/** Where an email engagement group's members come from: Shopify's own Shopify Email activity. */
export function EngagementCard({
  source,
  timeZone,
}: {
  source: EngagementSource;
  timeZone: string;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          From your Shopify Email activity
        </Text>
        <Text as="p">
          Shopify selects the members from who opened, clicked and received your Shopify Emails; the
          app reads them once a day and keeps only who belongs.{" "}
          {source.readAt
            ? `Last read ${formatShopTime(source.readAt, timeZone)}.`
            : "Not read yet."}
        </Text>
        <Text as="p" tone="subdued">
          The same Shopify segment query, for a segment of your own in Shopify:
        </Text>
        <Box background="bg-surface-secondary" padding="200" borderRadius="200">
          <Text as="p" variant="bodySm" breakWord>
            <code>{source.query}</code>
          </Text>
        </Box>
      </BlockStack>
    </Card>
  );
}
