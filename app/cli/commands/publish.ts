import { parseCalendarTime } from "~/domain/dates";
import { resumeStorefrontPublishing } from "~/models/shop.server";
import { gatewayForShop } from "~/shops/access.server";
import { recomputeReplenishableProducts } from "~/storefront/buy-again.server";
import { publishStorefront } from "~/storefront/publish.server";
import { recomputeRecommendations } from "~/storefront/recommendations.server";
import { UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

export const publishCommands: CliCommand[] = [
  {
    name: "publish",
    usage: "publish <shop> [--as-of <ISO date>]",
    options: { "as-of": { type: "string" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const asOf =
        options["as-of"] === undefined ? new Date() : parseCalendarTime(options["as-of"]);
      if (!asOf) throw new UsageError(`--as-of is not a date: ${options["as-of"]}`);
      const gateway = await gatewayForShop(shop);
      const run = await recomputeRecommendations(shop, asOf);
      console.log(
        `recommendations: ${run.pairs} picks for ${run.products} products from ${run.orders} orders (${run.fills} fills, ${run.addOns.length} add-ons left out)`,
      );
      // Publishing by hand is the merchant's "turn it on again" after "remove everything".
      await resumeStorefrontPublishing(shop);
      const intervals = await recomputeReplenishableProducts(shop, asOf);
      console.log(`buy again: ${intervals.length} replenishable products`);
      // The bars keep today's schedule; lists and intervals come from the orders up to --as-of.
      const report = await publishStorefront(gateway, shop, new Date());
      console.log(
        `published: ${report.written} metafields written, ${report.deleted} deleted, ${report.unchanged} unchanged (${report.apiCalls} API calls)`,
      );
    },
  },
];
