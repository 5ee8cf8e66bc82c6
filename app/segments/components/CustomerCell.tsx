import { Link } from "@remix-run/react";
import { Banner, BlockStack, Text } from "@shopify/polaris";

/** A customer's name and email as read from Shopify for the rows shown (never stored). */
export type Person = { name: string | null; email: string | null; adminPath: string };

/** A customer as a link to them in the Shopify admin, their email, and their "why" panel. */
export function CustomerCell({
  id,
  person,
  whyHref,
}: {
  id: string;
  person: Person | undefined;
  whyHref?: string;
}) {
  const numericId = id.split("/").pop();
  return (
    <BlockStack gap="050">
      <a href={person?.adminPath ?? `shopify://admin/customers/${numericId}`} target="_top">
        {person?.name || `Customer ${numericId}`}
      </a>
      {person?.email && (
        <Text as="span" tone="subdued" variant="bodySm">
          {person.email}
        </Text>
      )}
      {whyHref && (
        <Link
          to={whyHref}
          preventScrollReset
          aria-label={`Why is ${person?.name || `customer ${numericId}`} here?`}
        >
          Why?
        </Link>
      )}
    </BlockStack>
  );
}

/** Said above a list of customers when Shopify could not give their names (ids are shown). */
export function NamesUnavailable({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <Banner tone="warning" title="Customer names are not shown">
      <p>{error}</p>
    </Banner>
  );
}
