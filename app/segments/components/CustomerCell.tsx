import { Link } from "@remix-run/react";
import { BlockStack, Text } from "@shopify/polaris";

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
