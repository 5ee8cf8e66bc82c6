import { connectShopWebPixel } from "~/storefront/web-pixel.server";
import type { CliCommand } from "../command";
import { knownShop } from "../known-shop";

export const pixelCommands: CliCommand[] = [
  {
    name: "pixel",
    usage: "pixel <shop>",
    async run(positionals) {
      const shop = await knownShop(positionals);
      const { done, id } = await connectShopWebPixel(shop);
      console.log(`web pixel ${done}: ${id}`);
    },
  },
];
