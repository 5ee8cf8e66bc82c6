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

/** Segments whose name matches a search (used to find one created before, by name). */
export const SEGMENTS_BY_NAME = `#graphql
  query SegmentsByName($query: String!, $after: String) {
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

/** Members of a segment query, counted by Shopify (e.g. those subscribed to email marketing). */
export const SEGMENT_MEMBERS_COUNT = `#graphql
  query SegmentMembersCount($query: String!) {
    customerSegmentMembers(query: $query, first: 1) {
      totalCount
    }
  }
`;
