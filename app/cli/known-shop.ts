import { findShop } from "~/models/shop.server";
import { shopArgument, UsageError } from "./command";

/**
 * The <shop> of a command that works on a shop's data: one the app knows (installed through
 * Shopify, or added with `shops add`). A mistyped domain is refused before anything is written;
 * a recompute used to create a stray shop's segments.
 */
export async function knownShop(positionals: string[], options?: { alone?: boolean }) {
  const shop = shopArgument(positionals, options);
  if (!(await findShop(shop)))
    throw new UsageError(
      `unknown shop "${shop}": the app holds no such shop (npm run cli -- shops add <shop> --token <t> adds one)`,
    );
  return shop;
}
