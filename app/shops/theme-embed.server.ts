/**
 * Whether the top bar's app embed is on in the shop's live theme: read from the theme's
 * config/settings_data.json through the Admin API (read_themes), never guessed. Shopify's theme
 * editor is where the merchant turns it on; the page links there.
 */
import { appEmbedState, type EmbedState } from "~/domain/setup/theme-embed";
import { logger } from "~/logger.server";
import { ShopifyApiError } from "~/shopify/gateway.server";
import { MAIN_THEME_SETTINGS } from "~/shopify/operations/shop";
import { gatewayForShop } from "./access.server";

/** The app's handle (shopify.app.toml `handle`): app embed block types name it. */
export const APP_HANDLE = "persegment";

export type ThemeEmbedStatus =
  | { state: EmbedState; themeName: string }
  | {
      state: "unknown";
      /** Why it could not be read, in words for the merchant. */
      reason: string;
      /** The app lacks the read_themes permission (the merchant can grant it). */
      needsPermission: boolean;
    };

interface MainThemeSettings {
  themes: {
    nodes: {
      name: string;
      files: { nodes: { filename: string; body: { content?: string } }[] } | null;
    }[];
  } | null;
}

const accessDenied = (error: unknown) =>
  error instanceof ShopifyApiError &&
  (error.details.errors ?? []).some(
    (entry) => (entry as { extensions?: { code?: string } }).extensions?.code === "ACCESS_DENIED",
  );

/** The state of the app embed `blockHandle` (a block file of the theme app extension). */
export async function themeEmbedStatus(
  shop: string,
  blockHandle: string,
): Promise<ThemeEmbedStatus> {
  let data: MainThemeSettings;
  try {
    const gateway = await gatewayForShop(shop, { maxAttempts: 2 });
    data = await gateway.request<MainThemeSettings>(MAIN_THEME_SETTINGS);
  } catch (error) {
    if (accessDenied(error))
      return {
        state: "unknown",
        reason:
          "Persegment has no permission to read your themes (read_themes), so it cannot tell whether the top bar is on.",
        needsPermission: true,
      };
    logger.warn({ err: error, shop }, "could not read the live theme's app embeds");
    return {
      state: "unknown",
      reason: "Shopify did not answer when Persegment checked your live theme.",
      needsPermission: false,
    };
  }
  const theme = data.themes?.nodes[0];
  if (!theme)
    return {
      state: "unknown",
      reason: "Your store has no published theme.",
      needsPermission: false,
    };
  const content = theme.files?.nodes.find((file) => file.filename === "config/settings_data.json")
    ?.body.content;
  // A theme without settings_data.json has never been customised: no app embed is on.
  if (content === undefined) return { state: "missing", themeName: theme.name };
  const read = appEmbedState(content, APP_HANDLE, blockHandle);
  if (!read.ok)
    return { state: "unknown", reason: `In ${theme.name}, ${read.error}.`, needsPermission: false };
  return { state: read.state, themeName: theme.name };
}
