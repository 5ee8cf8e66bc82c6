/**
 * The app's pages in the admin navigation, in order. The embedded app's <NavMenu> draws them, and
 * the demo's admin host (scripts/demo/admin-host.ts) builds its left column from the same list, so
 * a page added here is reachable in both.
 */
export const APP_NAV = [
  { href: "/app", label: "Overview" },
  { href: "/app/segments", label: "Segments" },
  { href: "/app/performance", label: "Performance" },
  { href: "/app/predictions", label: "Predictions" },
  { href: "/app/tags", label: "Tags & email" },
  { href: "/app/storefront", label: "Storefront" },
  { href: "/app/settings", label: "Settings" },
] as const;
