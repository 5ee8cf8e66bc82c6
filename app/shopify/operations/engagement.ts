// The customers a Shopify segment query selects (email engagement groups, PRODUCT.md §4), read
// without saving a segment in the shop. Only ids are selected: the app stores memberships, never
// names or emails. The connection's documented maximum page is 1,000 members, but a query may
// cost at most 1,000 points and costs 2 + 1 per member, so a page holds 998.

export const SEGMENT_MEMBERS_PAGE_SIZE = 998;

export const SEGMENT_QUERY_MEMBERS = `#graphql
  query SegmentQueryMembers($query: String!, $timezone: String, $after: String) {
    customerSegmentMembers(query: $query, timezone: $timezone, first: ${SEGMENT_MEMBERS_PAGE_SIZE}, after: $after) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** How many customers a segment query selects (one page of one member: 3 points). */
export const SEGMENT_QUERY_COUNT = `#graphql
  query SegmentQueryCount($query: String!, $timezone: String) {
    customerSegmentMembers(query: $query, timezone: $timezone, first: 1) {
      totalCount
    }
  }
`;
