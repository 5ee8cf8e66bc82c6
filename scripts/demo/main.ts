// `npm run demo`: the whole loop on embedded defaults, offline. Generates a store, starts the
// Shopify stand-in, registers the shop with the app (an offline session), runs the pipeline
// (full sync, segments, tags, storefront publishing) through the app's own CLI, and serves the
// built app behind a local admin page that frames it with signed session tokens.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLiveTraffic, startStandIn } from "../../tests/shopify-stand-in";
import { startPreviewServer, storefrontFromStandIn } from "../../tests/storefront-preview";
import { startAdminHost } from "./admin-host";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface DemoOptions {
  customers?: number;
  seed?: number;
  /** Port of the admin page (the URL to open); 0 picks a free one. */
  port?: number;
  /** Folder for the demo database (a fresh SQLite file). */
  dataDir?: string;
  /** Use this already-migrated database instead (tests pass their own). */
  databaseUrl?: string;
  /** New orders per second from the stand-in's live traffic, 0 for none. */
  liveOrdersPerSecond?: number;
  log?: (line: string) => void;
}

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export async function startDemo(options: DemoOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const shop = "persegment-demo.myshopify.com";
  const apiKey = "persegment-demo-key";
  const apiSecret = randomBytes(24).toString("hex");
  const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    const dataDir = options.dataDir ?? path.join(root, "tmp/demo");
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    databaseUrl = `file:${path.join(dataDir, "demo.sqlite")}`;
    log("• preparing the database (SQLite)");
    execFileSync(process.execPath, ["scripts/db.mjs", "setup"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "ignore",
    });
  }

  log("• building the app");
  execFileSync(path.join(root, "node_modules/.bin/remix"), ["vite:build"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });

  const appPort = await freePort();
  const hostPort = options.port || (await freePort());
  const appUrl = `http://127.0.0.1:${hostPort}`;

  log(
    `• generating a store with ${options.customers ?? 3000} customers and starting the Shopify stand-in`,
  );
  const standIn = await startStandIn({
    shop,
    accessToken,
    apiSecret,
    generate: { customers: options.customers ?? 3000, seed: options.seed ?? 42 },
    webhooksTo: `${appUrl}/webhooks`,
  });

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    PORT: String(appPort),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES:
      "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products",
    SHOPIFY_ADMIN_API_ORIGIN: standIn.origin,
  };
  const tsx = path.join(root, "node_modules/.bin/tsx");
  // Asynchronous on purpose: the stand-in lives in this process and must keep answering.
  const run = async (label: string, script: string, ...args: string[]) => {
    log(`  $ ${label} ${args.join(" ")}`);
    const step = spawn(tsx, [script, ...args], {
      cwd: root,
      env: appEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    step.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      for (const line of chunk.toString().split("\n").filter(Boolean)) log(`    ${line}`);
    });
    step.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => step.on("close", resolve));
    if (code !== 0)
      throw new Error(`${label} ${args.join(" ")} failed (exit ${code}):\n${output.slice(-2000)}`);
  };
  const cli = (...args: string[]) => run("npm run cli --", "app/cli/main.ts", ...args);

  log("• registering the shop with the app and running the pipeline");
  await cli("shops", "add", shop, "--token", accessToken);
  await cli("sync", shop, "--full");
  await cli("segments", "recompute", shop);
  await cli("tags", "enable", shop, "champions", "lapsed-90", "vip", "repeat");
  await cli("tags", "apply", shop);
  await cli("segments", "publish-shopify", shop);
  await run("(demo) top bars:", "scripts/demo/seed-bars.ts", shop);
  await cli("publish", shop);

  log("• serving the app and the storefront preview");
  const app = spawn(tsx, ["scripts/demo/serve-app.ts", root], {
    cwd: root,
    env: appEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForHttp(`http://127.0.0.1:${appPort}/`, app);
  const preview = await startPreviewServer({
    published: () => storefrontFromStandIn(standIn.store, apiKey),
  });
  const host = await startAdminHost({
    shop,
    apiKey,
    apiSecret,
    appOrigin: `http://127.0.0.1:${appPort}`,
    port: hostPort,
    extraLinks: [{ label: "Storefront preview ↗", href: `${preview.origin}/` }],
  });
  const traffic = options.liveOrdersPerSecond
    ? startLiveTraffic(standIn.store, { ordersPerSecond: options.liveOrdersPerSecond })
    : null;

  return {
    shop,
    adminUrl: `${host.origin}/`,
    previewUrl: `${preview.origin}/`,
    standInOrigin: standIn.origin,
    /** What the stand-in holds now: the numbers the admin pages must show once synced. */
    storeCounts: () => ({
      customers: standIn.store.customers.size,
      orders: standIn.store.orders.size,
    }),
    async close() {
      traffic?.stop();
      await host.close();
      await preview.close();
      app.kill("SIGTERM");
      await standIn.close();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const port = Number(process.env.PORT || 8080);
  startDemo({
    port,
    customers: Number(process.env.DEMO_CUSTOMERS || 3000),
    liveOrdersPerSecond: Number(process.env.DEMO_ORDERS_PER_SECOND ?? 0.5),
  }).then(
    (demo) => {
      console.log(
        [
          "",
          "Persegment demo is running:",
          `  admin (the embedded app)  ${demo.adminUrl}`,
          `  storefront preview        ${demo.previewUrl}`,
          `  Shopify stand-in          ${demo.standInOrigin}`,
          "New orders arrive every few seconds; segments and tags follow. Press Ctrl+C to stop.",
        ].join("\n"),
      );
      const stop = () => void demo.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (error) => {
      console.error(`The demo could not start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
