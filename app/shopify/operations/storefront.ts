// Storefront publishing (PRODUCT.md §6): bars go to an app-data metafield on the app
// installation, upsells to an app-owned ($app) product metafield. metafieldsSet takes at most 25
// metafields per call and is atomic: one invalid input and none of them is written.

export const STOREFRONT_APP_INSTALLATION = `#graphql
  query StorefrontAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

export const STOREFRONT_METAFIELDS_SET = `#graphql
  mutation StorefrontMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const STOREFRONT_METAFIELDS_DELETE = `#graphql
  mutation StorefrontMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
        namespace
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Inputs per metafieldsSet / metafieldsDelete call. */
export const METAFIELDS_PER_CALL = 25;

/** The languages shoppers can see (the bar editor offers a message field each); needs `read_locales`. */
export const PUBLISHED_LOCALES = `#graphql
  query PublishedLocales {
    shopLocales(published: true) {
      locale
      name
      primary
    }
  }
`;
