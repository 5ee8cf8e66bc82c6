// What the admin shows about the shop itself: its time zone and currency (times and money are
// shown the shop's way), and whether the live theme has the app's top bar embed turned on.

export const SHOP_PROFILE = `#graphql
  query ShopProfile {
    shop {
      ianaTimezone
      currencyCode
    }
  }
`;

/**
 * The live theme's settings_data.json, where the theme editor keeps app embeds (needs
 * read_themes). One theme, one file: a cost of a few points.
 */
export const MAIN_THEME_SETTINGS = `#graphql
  query MainThemeSettings {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        name
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;
