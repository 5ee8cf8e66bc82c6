/**
 * The settings the app gives its web pixel (extensions/persegment-pixel/shopify.extension.toml
 * declares them) and what to do about the pixel the shop has. Pure: the app's URL is passed in.
 */

/** Where the pixel sends its batches: app/routes/pixel.events.tsx. */
export const COLLECTOR_PATH = "/pixel/events";

export interface WebPixelSettings {
  collectorUrl: string;
}

export function webPixelSettings(appUrl: string): WebPixelSettings {
  return { collectorUrl: new URL(COLLECTOR_PATH, appUrl).href };
}

/** The shop's pixel as Shopify returns it: settings as a JSON-encoded string (or an object). */
export interface CurrentWebPixel {
  id: string;
  settings: unknown;
}

export type WebPixelStep =
  { kind: "create" } | { kind: "update"; id: string } | { kind: "none"; id: string };

/** Create the pixel, change its settings, or leave it: settings compared key by key. */
export function webPixelStep(
  current: CurrentWebPixel | null,
  desired: WebPixelSettings,
): WebPixelStep {
  if (!current) return { kind: "create" };
  let settings = current.settings;
  if (typeof settings === "string") {
    try {
      settings = JSON.parse(settings);
    } catch {
      return { kind: "update", id: current.id };
    }
  }
  const same =
    typeof settings === "object" &&
    settings !== null &&
    Object.keys(settings).length === Object.keys(desired).length &&
    Object.entries(desired).every(
      ([key, value]) => (settings as Record<string, unknown>)[key] === value,
    );
  return same ? { kind: "none", id: current.id } : { kind: "update", id: current.id };
}
