// The app's web pixel (extensions/persegment-pixel): connected to the shop, with the settings its
// toml declares, by webPixelCreate, and kept current by webPixelUpdate. All three need
// `write_pixels` (read included); the mutations also `read_customer_events`. Settings travel as a
// JSON-encoded string.

/** The app's own pixel on the shop (no id: the calling app's). */
export const APP_WEB_PIXEL = `#graphql
  query AppWebPixel {
    webPixel {
      id
      settings
    }
  }
`;

export const WEB_PIXEL_CREATE = `#graphql
  mutation WebPixelCreate($settings: JSON!) {
    webPixelCreate(webPixel: { settings: $settings }) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const WEB_PIXEL_UPDATE = `#graphql
  mutation WebPixelUpdate($id: ID!, $settings: JSON!) {
    webPixelUpdate(id: $id, webPixel: { settings: $settings }) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
