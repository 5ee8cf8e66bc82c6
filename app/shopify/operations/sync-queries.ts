// Paged queries for reconciliation and counts. Their field selections are the bulk queries' own
// (sync-fields.ts), so both paths feed the same mappers (app/sync/records.ts).

import { SYNC_FIELDS } from "./sync-fields";

export const SHOP_SYNC_INFO = `#graphql
  query ShopSyncInfo {
    shop {
      currencyCode
      ianaTimezone
    }
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
    customersCount(limit: null) {
      count
    }
    ordersCount(limit: null) {
      count
    }
    productsCount(limit: null) {
      count
    }
    oldestOrders: orders(first: 1, sortKey: CREATED_AT) {
      nodes {
        createdAt
      }
    }
  }
`;

export const RESOURCE_COUNTS = `#graphql
  query ResourceCounts($ordersQuery: String) {
    customersCount(limit: null) {
      count
    }
    ordersCount(limit: null, query: $ordersQuery) {
      count
    }
    productsCount(limit: null) {
      count
    }
  }
`;

export const CUSTOMERS_UPDATED_SINCE = `#graphql
  query CustomersUpdatedSince($query: String!, $after: String) {
    customers(first: 150, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${SYNC_FIELDS.customer}
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const PRODUCTS_UPDATED_SINCE = `#graphql
  query ProductsUpdatedSince($query: String!, $after: String) {
    products(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${SYNC_FIELDS.product}
        collections(first: 10) {
          nodes {
            ${SYNC_FIELDS.collection}
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const ORDERS_UPDATED_SINCE = `#graphql
  query OrdersUpdatedSince($query: String!, $after: String) {
    orders(first: 10, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${SYNC_FIELDS.order}
        lineItems(first: 10) {
          nodes {
            ${SYNC_FIELDS.lineItem}
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The rest of an order's line items when the first page in ORDERS_UPDATED_SINCE was not all. */
export const ORDER_LINE_ITEMS = `#graphql
  query OrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) {
        nodes {
          ${SYNC_FIELDS.lineItem}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** The rest of a product's collections when the first page in PRODUCTS_UPDATED_SINCE was not all. */
export const PRODUCT_COLLECTIONS = `#graphql
  query ProductCollections($id: ID!, $after: String) {
    product(id: $id) {
      collections(first: 250, after: $after) {
        nodes {
          ${SYNC_FIELDS.collection}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** Id sweeps: which records still exist, to find deletions whose webhooks never came. */
export const CUSTOMER_IDS = `#graphql
  query CustomerIds($after: String) {
    customers(first: 250, after: $after) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const ORDER_IDS = `#graphql
  query OrderIds($query: String, $after: String) {
    orders(first: 250, after: $after, query: $query) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const PRODUCT_IDS = `#graphql
  query ProductIds($after: String) {
    products(first: 250, after: $after) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** Which scopes the token has (checks the token works; read_all_orders decides order history). */
export const APP_ACCESS_SCOPES = `#graphql
  query AppAccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;
