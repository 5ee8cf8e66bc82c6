// The rule builder's product and collection pickers: search by title, and the titles of the ids a
// rule already holds.

export const CATALOG_PRODUCTS = `#graphql
  query CatalogProducts($query: String) {
    products(first: 10, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
      }
    }
  }
`;

export const CATALOG_COLLECTIONS = `#graphql
  query CatalogCollections($query: String) {
    collections(first: 10, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
      }
    }
  }
`;

export const CATALOG_TITLES = `#graphql
  query CatalogTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Product {
        title
      }
      ... on Collection {
        title
      }
    }
  }
`;
