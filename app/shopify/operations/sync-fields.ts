// The fields a sync reads of each record, shared by the paged queries (reconciliation) and the
// bulk exports (full sync), so both produce the same rows. Not documents themselves: selection
// sets interpolated into the documents of sync-queries.ts and sync-bulk-queries.ts.
// Only what segments need: no names, emails, phones or street addresses.

export const SYNC_FIELDS = {
  customer: `
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
    }`,
  /** A product without its collections (a nested connection, paged differently by each query). */
  product: `
    id
    title
    handle
    productType
    vendor
    tags
    status
    updatedAt`,
  /** A collection the product is in: only its id, which segment rules match on. */
  collection: `
    id`,
  /** An order without its line items (a nested connection, paged differently by each query). */
  order: `
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
    }`,
  lineItem: `
    id
    quantity
    isGiftCard
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
    }`,
} as const;
