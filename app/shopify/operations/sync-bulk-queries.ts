// The queries a full sync runs as bulk operations. Each yields the seed/bulk JSONL shape of
// PRODUCT.md §7; children (line items) come on their own lines with __parentId.
// Only what segments need: no names, emails, phones or street addresses.

export const CUSTOMERS_BULK_QUERY = `#graphql
  query CustomersBulk {
    customers {
      edges {
        node {
          id
          createdAt
          updatedAt
          tags
          numberOfOrders
          amountSpent {
            amount
            currencyCode
          }
          defaultAddress {
            countryCodeV2
            provinceCode
            city
          }
          emailMarketingConsent {
            marketingState
          }
          statistics {
            rfmGroup
          }
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
          id
          title
          handle
          productType
          vendor
          tags
          status
          updatedAt
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
          id
          name
          createdAt
          processedAt
          updatedAt
          cancelledAt
          test
          customer {
            id
          }
          currentTotalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalDiscountsSet {
            shopMoney {
              amount
            }
          }
          discountCodes
          sourceName
          shippingAddress {
            countryCodeV2
          }
          lineItems {
            edges {
              node {
                id
                quantity
                product {
                  id
                }
                variant {
                  id
                }
                originalUnitPriceSet {
                  shopMoney {
                    amount
                  }
                }
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
