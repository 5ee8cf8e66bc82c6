/**
 * Customers' names and emails, read from Shopify for the rows a page shows or an export writes.
 * They live in memory for that one response: the app stores no names or email addresses.
 */
import { logger } from "~/logger.server";
import { gatewayForShop } from "~/shops/access.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { CUSTOMER_NAMES, CUSTOMER_NAMES_PAGE_SIZE } from "~/shopify/operations/customer-names";

export interface CustomerContact {
  name: string;
  email: string | null;
}

export interface CustomerNames {
  /** By customer GID; a customer deleted in Shopify is absent. */
  contacts: Map<string, CustomerContact>;
  /** Set when Shopify could not be asked: the page shows ids and says why. */
  error: string | null;
}

type NamesResponse = {
  nodes: ({
    id: string;
    displayName: string;
    defaultEmailAddress: { emailAddress: string } | null;
  } | null)[];
};

/** Reads names for the ids through the gateway, in pages of at most 250 ids; throws on failure. */
export async function readCustomerNames(gateway: AdminGateway, ids: readonly string[]) {
  const contacts = new Map<string, CustomerContact>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CUSTOMER_NAMES_PAGE_SIZE) {
    const page = unique.slice(i, i + CUSTOMER_NAMES_PAGE_SIZE);
    const { nodes } = await gateway.request<NamesResponse>(CUSTOMER_NAMES, { ids: page });
    for (const node of nodes)
      if (node?.id)
        contacts.set(node.id, {
          name: node.displayName,
          email: node.defaultEmailAddress?.emailAddress ?? null,
        });
  }
  return contacts;
}

/** Names for a page's rows; a failure leaves the page usable (ids only, with `error` set). */
export async function customerNamesForPage(
  shop: string,
  ids: readonly string[],
): Promise<CustomerNames> {
  if (ids.length === 0) return { contacts: new Map(), error: null };
  try {
    const gateway = await gatewayForShop(shop, { maxAttempts: 2, baseDelayMs: 250 });
    return { contacts: await readCustomerNames(gateway, ids), error: null };
  } catch (error) {
    logger.warn({ shop, err: error }, "could not read customer names from Shopify");
    return {
      contacts: new Map(),
      error: "Shopify did not answer, so customers are shown by their ids. Reload to try again.",
    };
  }
}
