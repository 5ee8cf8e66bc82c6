// Customers' names and email addresses, read for the rows a page shows or an export writes and
// never stored (the app keeps no names or emails). `nodes` takes at most 250 ids; a deleted
// customer comes back as null.

export const CUSTOMER_NAMES_PAGE_SIZE = 250;

export const CUSTOMER_NAMES = `#graphql
  query CustomerNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        displayName
        defaultEmailAddress {
          emailAddress
        }
      }
    }
  }
`;
