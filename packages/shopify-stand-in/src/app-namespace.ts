/**
 * `$app` and `$app:suffix` stand for the app's reserved metafield namespace, as on Shopify:
 * `app--<app id>` and `app--<app id>--suffix` (the stand-in uses the app's API key as its id).
 * The stand-in stores metafields under the expanded name; readers of its store (the storefront
 * preview) expand the same way, so both agree on where an app's metafields are.
 */
export function expandAppNamespace(appId: string, namespace: string | null | undefined) {
  const base = `app--${appId}`;
  if (!namespace || namespace === "$app") return base;
  if (namespace.startsWith("$app:")) return `${base}--${namespace.slice(5)}`;
  return namespace;
}
