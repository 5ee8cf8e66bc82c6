// The app's web pixel in the preview, run as Shopify runs an app pixel: its source
// (extensions/persegment-pixel) bundled with esbuild, as Shopify's build does, into a worker
// behind the sandbox's runtime (sandbox/worker.js); the page gets the web pixels manager
// (sandbox/host.js), so `Shopify.analytics.publish` reaches the pixel's subscriptions and its
// beacons go out for real. Only a pixel the app connected runs (the stand-in's webPixel record),
// with the settings the app gave it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
export const PIXEL_HANDLE = "persegment-pixel";
const PIXEL_ENTRY = path.resolve(here, `../../../extensions/${PIXEL_HANDLE}/src/index.ts`);
export const PIXEL_WORKER_PATH = `/web-pixels/${PIXEL_HANDLE}.js`;

/** The app's pixel as the app connected it to the shop. */
export interface ConnectedWebPixel {
  settings: Record<string, string>;
}

let workerScript: Promise<string> | undefined;

/** The worker's script: the sandbox runtime, then the pixel bundled (once per process). */
export function webPixelWorkerScript(): Promise<string> {
  workerScript ??= (async () => {
    const [runtime, bundle] = await Promise.all([
      readFile(path.join(here, "sandbox/worker.js"), "utf8"),
      build({
        entryPoints: [PIXEL_ENTRY],
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2020",
        write: false,
      }),
    ]);
    return `${runtime}\n${bundle.outputFiles[0].text}`;
  })();
  return workerScript;
}

/** The web pixels manager's inline script for the page (none when no pixel is connected). */
export async function webPixelHostTag(
  pixel: ConnectedWebPixel | null | undefined,
  shop: { domain: string; name: string },
): Promise<string> {
  if (!pixel) return "";
  const host = await readFile(path.join(here, "sandbox/host.js"), "utf8");
  const config = JSON.stringify({
    src: PIXEL_WORKER_PATH,
    handle: PIXEL_HANDLE,
    settings: pixel.settings,
    shop: shop.domain,
    shopName: shop.name,
  }).replace(/</g, "\\u003c");
  return `<script>${host.replace(/\(CONFIG\);\s*$/, `(${config});`)}</script>`;
}
