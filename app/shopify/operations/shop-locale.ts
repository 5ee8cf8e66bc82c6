// The shop's time zone and currency: admin pages show dates and money in them.

export const SHOP_LOCALE = `#graphql
  query ShopLocale {
    shop {
      ianaTimezone
      currencyCode
    }
  }
`;
