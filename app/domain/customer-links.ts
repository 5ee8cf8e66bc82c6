/** Links to a customer in the Shopify admin. */

/** The numeric id of a Shopify GID ("gid://shopify/Customer/123" -> "123"). */
export function numericId(gid: string) {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/**
 * Inside the embedded admin: App Bridge opens `shopify://admin/...` links in the admin itself
 * (the same tab, outside the app's iframe).
 */
export function customerAdminPath(gid: string) {
  return `shopify://admin/customers/${numericId(gid)}`;
}

/** Outside the admin (a CSV opened in a spreadsheet): the admin's full URL for the store. */
export function customerAdminUrl(shopDomain: string, gid: string) {
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${store}/customers/${numericId(gid)}`;
}
