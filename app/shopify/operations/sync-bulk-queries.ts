// The queries a full sync runs as bulk operations. Each yields the seed/bulk JSONL shape of
// PRODUCT.md §7; children (line items, a product's collections) come on their own lines with
// __parentId, anywhere after their parent.

import { SYNC_FIELDS } from "./sync-fields";

export const CUSTOMERS_BULK_QUERY = `#graphql
  query CustomersBulk {
    customers {
      edges {
        node {
          ${SYNC_FIELDS.customer}
        }
      }
    }
  }
`;

export const PRODUCTS_BULK_QUERY = `#graphql
  query ProductsBulk {
    products {
      edges {
        node {
          ${SYNC_FIELDS.product}
          collections {
            edges {
              node {
                ${SYNC_FIELDS.collection}
              }
            }
          }
        }
      }
    }
  }
`;

export const ORDERS_BULK_QUERY = `#graphql
  query OrdersBulk {
    orders {
      edges {
        node {
          ${SYNC_FIELDS.order}
          lineItems {
            edges {
              node {
                ${SYNC_FIELDS.lineItem}
              }
            }
          }
        }
      }
    }
  }
`;

/** The orders export limited by a search filter (a date slice of a full sync). */
export function ordersBulkQuery(search: string | null) {
  if (!search) return ORDERS_BULK_QUERY;
  return ORDERS_BULK_QUERY.replace(/\borders \{/, `orders(query: ${JSON.stringify(search)}) {`);
}
