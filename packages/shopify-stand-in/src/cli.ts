// npm run emulator -- --port <p> --shop <domain> --token <t> [--seed <file.jsonl>] [--generate <n>]
//   [--webhooks-to <url>] [--api-secret <s>] [--api-key <k>] [--rate <orders/s>] [--plus]
//   [--write-seed <file.jsonl>] [--random-seed <n>]
import { parseArgs } from "node:util";
import { generateStore } from "./generator";
import { startLiveTraffic } from "./live-traffic";
import { API_VERSION } from "./schema";
import { readSeed, writeSeed } from "./seed";
import { startStandIn } from "./server";

const USAGE = `Usage: npm run emulator -- --shop <domain> --token <token> [options]
  --port <p>             port to listen on (default 0 = any free port)
  --shop <domain>        the shop served, e.g. demo.myshopify.com (required)
  --token <t>            the Admin API access token accepted (required)
  --seed <file.jsonl>    load the store from a seed file (PRODUCT.md §7 format)
  --generate <n>         generate a store with n customers (deterministic; see --random-seed)
  --random-seed <n>      generator seed (default 1)
  --write-seed <file>    also write the store to this seed file
  --webhooks-to <url>    deliver webhooks to this app URL (e.g. http://127.0.0.1:3000/webhooks)
  --api-secret <s>       app secret for webhook HMACs and token exchange (default $SHOPIFY_API_SECRET)
  --api-key <k>          app client id checked by token exchange (default $SHOPIFY_API_KEY)
  --rate <orders/s>      live traffic: new orders per second
  --plus                 Shopify Plus rate limits (20,000 points, 1,000/s)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "0" },
        shop: { type: "string" },
        token: { type: "string" },
        seed: { type: "string" },
        generate: { type: "string" },
        "random-seed": { type: "string", default: "1" },
        "write-seed": { type: "string" },
        "webhooks-to": { type: "string" },
        "api-secret": { type: "string" },
        "api-key": { type: "string" },
        rate: { type: "string" },
        plus: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const integer = (name: string, value: string | undefined, min = 0) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min)
      fail(`--${name} must be an integer >= ${min}, got "${value}"`);
    return parsed;
  };
  if (!values.shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(values.shop))
    fail("--shop is required and must look like <name>.myshopify.com");
  if (!values.token) fail("--token is required");
  if (values.seed && values.generate) fail("use either --seed or --generate, not both");
  const apiSecret = values["api-secret"] ?? process.env.SHOPIFY_API_SECRET;
  if (!apiSecret) fail("--api-secret (or SHOPIFY_API_SECRET) is required to sign webhooks");
  const port = integer("port", values.port)!;
  const customers = integer("generate", values.generate);
  const seed = integer("random-seed", values["random-seed"])!;
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0))
    fail(`--rate must be a positive number, got "${values.rate}"`);

  const started = Date.now();
  const store = values.seed
    ? await readSeed(values.seed)
    : generateStore({ customers: customers ?? 1000, seed });
  const counts = store.counts();
  console.log(
    `Store ready in ${Date.now() - started} ms: ${counts.customers} customers, ${counts.orders} orders, ${counts.lineItems} line items, ${counts.products} products`,
  );
  if (values["write-seed"]) {
    await writeSeed(store, values["write-seed"]);
    console.log(`Seed written to ${values["write-seed"]}`);
  }
  const standIn = await startStandIn({
    shop: values.shop,
    accessToken: values.token,
    apiSecret,
    apiKey: values["api-key"] ?? process.env.SHOPIFY_API_KEY,
    store,
    port,
    webhooksTo: values["webhooks-to"],
    throttle: values.plus ? { maximumAvailable: 20_000, restoreRate: 1000 } : undefined,
    seed,
  });
  console.log(`Shopify stand-in for ${values.shop} at ${standIn.origin}`);
  console.log(
    `  GraphQL: POST ${standIn.origin}/admin/api/${API_VERSION}/graphql.json (X-Shopify-Access-Token)`,
  );
  console.log(`  App:     SHOPIFY_ADMIN_API_ORIGIN=${standIn.origin}`);
  if (values["webhooks-to"]) console.log(`  Webhooks → ${values["webhooks-to"]}`);
  const traffic = rate ? startLiveTraffic(store, { ordersPerSecond: rate, seed }) : null;
  if (traffic) console.log(`  Live traffic: ${rate} orders/s`);

  const stop = async () => {
    traffic?.stop();
    await standIn.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
