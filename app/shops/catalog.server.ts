/**
 * The shop's products and collections as the rule builder's pickers show them: searched by title
 * in Shopify, so a merchant picks names instead of typing ids. Nothing is stored.
 */
import {
  CATALOG_COLLECTIONS,
  CATALOG_PRODUCTS,
  CATALOG_TITLES,
} from "~/shopify/operations/catalog";
import { gatewayForShop } from "./access.server";

export type CatalogKind = "product" | "collection";

export interface CatalogItem {
  id: string;
  title: string;
}

/** Shopify search syntax: each word as a prefix (bare words search titles); syntax is dropped. */
function titleQuery(text: string) {
  const words = text
    .replace(/["'\\:()]/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5);
  return words.length ? words.map((word) => `${word}*`).join(" ") : null;
}

export async function searchCatalog(
  shop: string,
  kind: CatalogKind,
  text: string,
): Promise<CatalogItem[]> {
  const gateway = await gatewayForShop(shop);
  const query = titleQuery(text);
  if (kind === "product") {
    const data = await gateway.request<{ products: { nodes: CatalogItem[] } }>(CATALOG_PRODUCTS, {
      query,
    });
    return data.products.nodes;
  }
  const data = await gateway.request<{ collections: { nodes: CatalogItem[] } }>(
    CATALOG_COLLECTIONS,
    { query },
  );
  return data.collections.nodes;
}

/** Titles of the given product or collection ids (at most 250); unknown ids are left out. */
export async function catalogTitles(shop: string, ids: string[]): Promise<CatalogItem[]> {
  const wanted = ids.filter((id) => /^gid:\/\/shopify\/(Product|Collection)\/\d+$/.test(id));
  if (wanted.length === 0) return [];
  const gateway = await gatewayForShop(shop);
  const data = await gateway.request<{ nodes: (Partial<CatalogItem> | null)[] }>(CATALOG_TITLES, {
    ids: wanted.slice(0, 250),
  });
  return data.nodes.flatMap((node) =>
    node?.id && typeof node.title === "string" ? [{ id: node.id, title: node.title }] : [],
  );
}
