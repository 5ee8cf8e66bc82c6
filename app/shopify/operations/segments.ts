// Shopify customer segments for tagged segments (PRODUCT.md §5, shopify-platform.md §7): created
// once as "Persegment: <name>" with `customer_tags CONTAINS '<tag>'`, so Shopify Email can use them.

export const SEGMENT_CREATE = `#graphql
  mutation SegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Removes a segment the app created ("remove everything", PRODUCT.md §5). */
export const SEGMENT_DELETE = `#graphql
  mutation SegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors {
        field
        message
      }
    }
  }
`;

/** Segments whose name matches a search (used to find one created before, by name). */
export const SEGMENTS_BY_NAME = `#graphql
  query SegmentsByName($query: String, $after: String) {
    segments(first: 50, query: $query, after: $after) {
      nodes {
        id
        name
        query
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const SEGMENT_BY_ID = `#graphql
  query SegmentById($id: ID!) {
    segment(id: $id) {
      id
      name
      query
    }
  }
`;

/**
 * Customers matching a customer search, counted without the default 10,000 cap (e.g. those with
 * an app tag who are subscribed to email marketing: who Shopify Email reaches).
 */
export const CUSTOMERS_COUNT = `#graphql
  query CustomersCount($query: String!) {
    customersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;
