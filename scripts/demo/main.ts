// `npm run demo`: the whole loop on embedded defaults, offline. Generates a store, starts the
// Shopify stand-in, registers the shop with the app (an offline session), runs the pipeline
// (full sync, segments, tags, storefront publishing) through the app's own CLI, and serves the
// built app behind a local admin page that frames it with signed session tokens.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLiveTraffic, startStandIn } from "@persegment/shopify-stand-in";
import { startPreviewServer, storefrontFromStandIn } from "@persegment/storefront-preview";
import { PortInUseError, startAdminHost } from "./admin-host";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface DemoOptions {
  /** The shop's domain (default persegment-demo.myshopify.com); tests sharing a database differ. */
  shop?: string;
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
  /** Cron expressions that replace the app's own schedules (by schedule name), e.g. to keep a test's
   * shop still: the app reads them from PERSEGMENT_SCHEDULES. */
  schedules?: Record<string, string>;
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

/** Fails at once, before the slow steps, when the admin page's port is taken. */
async function ensurePortFree(port: number) {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Every process the demo started and has not stopped yet. Each runs in its own process group
 * (tsx starts node underneath), so stopping one stops all of it; and if this process exits on any
 * path, none is left behind.
 */
const children = new Set<ChildProcess>();
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
};
/** Stops a child (its whole group) and waits until it has exited; SIGKILL after 5 s. */
async function stopChild(child: ChildProcess) {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
process.on("exit", () => {
  for (const child of children) signalGroup(child, "SIGTERM");
});

function startChild(command: string, args: string[], options: SpawnOptions) {
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.on("exit", (code, signal) => {
    // Still listed: nobody here stopped it. Say how it ended, or a dead app server goes unseen.
    if (children.delete(child) && (code !== 0 || signal))
      console.error(
        `${path.basename(args[0] ?? command)} ended: exit code ${code}, signal ${signal}`,
      );
  });
  return child;
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);

/** A step that may take a while: says what it is doing, then every few seconds that it still is. */
async function step<T>(log: (line: string) => void, label: string, work: () => Promise<T>) {
  const started = Date.now();
  log(`• ${label}`);
  const ticker = setInterval(() => log(`  … ${label}: ${seconds(started)} s`), PROGRESS_EVERY_MS);
  try {
    const result = await work();
    if (Date.now() - started >= PROGRESS_EVERY_MS) log(`  done in ${seconds(started)} s`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}

/** How often a long step reports that it is still running. */
export const PROGRESS_EVERY_MS = 3000;

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
  // Checked first: a taken port must not cost a build and a whole pipeline.
  if (options.port) await ensurePortFree(options.port);

  // Undone in reverse order by close(), and on any failure while starting.
  const stops: (() => unknown)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    return await startServices(options, log, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startServices(
  options: DemoOptions,
  log: (line: string) => void,
  stops: (() => unknown)[],
  stopAll: () => Promise<void>,
) {
  const shop = options.shop ?? "persegment-demo.myshopify.com";
  const apiKey = "persegment-demo-key";
  const apiSecret = randomBytes(24).toString("hex");
  const accessToken = `shpat_${randomBytes(16).toString("hex")}`;

  // Asynchronous on purpose: the stand-in lives in this process and must keep answering, and
  // the progress ticker must keep ticking.
  const run = async (command: string, args: string[], env: NodeJS.ProcessEnv, echo = false) => {
    const child = startChild(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    stops.push(() => stopChild(child));
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      if (echo) for (const line of chunk.toString().split("\n").filter(Boolean)) log(`    ${line}`);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0)
      throw new Error(
        `${path.basename(command)} ${args.join(" ")} failed (exit ${code}):\n${output.slice(-2000)}`,
      );
  };

  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    const dataDir = options.dataDir ?? path.join(root, "tmp/demo");
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const url = `file:${path.join(dataDir, "demo.sqlite")}`;
    databaseUrl = url;
    await step(log, "preparing the database (SQLite)", () =>
      run(process.execPath, ["scripts/db.mjs", "setup"], { ...process.env, DATABASE_URL: url }),
    );
  }

  await step(log, "building the app", () =>
    run(path.join(root, "node_modules/.bin/remix"), ["vite:build"], {
      ...process.env,
      DATABASE_URL: databaseUrl,
    }),
  );

  const appPort = await freePort();
  const hostPort = options.port || (await freePort());
  const appUrl = `http://127.0.0.1:${hostPort}`;

  const customers = options.customers ?? 3000;
  const standIn = await step(
    log,
    `generating a store with ${customers} customers and starting the Shopify stand-in`,
    () =>
      startStandIn({
        shop,
        // The app's key: token exchange checks it, and `$app` namespaces are app--<key>.
        apiKey,
        accessToken,
        apiSecret,
        generate: { customers, seed: options.seed ?? 42 },
        webhooksTo: `${appUrl}/webhooks`,
      }),
  );
  // Closed after the app (stops run last first): what the app can no longer receive is dropped.
  stops.push(() => standIn.close({ abandonWebhooks: true }));
  log(`  Shopify stand-in at ${standIn.origin}`);

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
      "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products,read_themes,read_locales,write_pixels,read_customer_events",
    SHOPIFY_ADMIN_API_ORIGIN: standIn.origin,
    ...(options.schedules ? { PERSEGMENT_SCHEDULES: JSON.stringify(options.schedules) } : {}),
  };
  const tsx = path.join(root, "node_modules/.bin/tsx");
  const cli = (label: string, ...args: string[]) =>
    step(log, `${label} (npm run cli -- ${args.join(" ")})`, () =>
      run(tsx, ["app/cli/main.ts", ...args], appEnv, true),
    );

  await cli("registering the shop with the app", "shops", "add", shop, "--token", accessToken);
  await cli("importing the store (full sync)", "sync", shop, "--full");
  await cli("computing segments", "segments", "recompute", shop);
  await cli("reading email engagement groups", "segments", "engagement", shop);
  await cli("adding up segment performance", "segments", "performance", shop);
  await cli("fitting predictions", "predictions", "refresh", shop);
  await cli("turning on tags", "tags", "enable", shop, "champions", "lapsed-90", "vip", "repeat");
  await cli("writing customer tags", "tags", "apply", shop);
  await cli("creating Shopify segments", "segments", "publish-shopify", shop);
  await step(log, "saving the sample top bars", () =>
    run(tsx, ["scripts/demo/seed-bars.ts", shop], appEnv, true),
  );
  await cli("publishing to the storefront", "publish", shop);
  await cli("measuring the recommendations", "recommendations", "quality", shop);
  await cli("connecting the bar counts pixel", "pixel", shop);

  const app = await step(log, "starting the app and the storefront preview", async () => {
    const child = startChild(tsx, ["scripts/demo/serve-app.ts", root], {
      cwd: root,
      env: appEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
    stops.push(() => stopChild(child));
    await waitForHttp(`http://127.0.0.1:${appPort}/`, child);
    log(`  app at http://127.0.0.1:${appPort}`);
    return child;
  });
  const preview = await startPreviewServer({
    published: () => storefrontFromStandIn(standIn.store, standIn.apiKey),
  });
  stops.push(() => preview.close());
  log(`  storefront preview at ${preview.origin}`);
  const host = await startAdminHost({
    shop,
    apiKey,
    apiSecret,
    appOrigin: `http://127.0.0.1:${appPort}`,
    port: hostPort,
    extraLinks: [{ label: "Storefront preview ↗", href: `${preview.origin}/` }],
    products: () =>
      [...standIn.store.products.values()]
        .map((product) => ({ id: `gid://shopify/Product/${product.id}`, title: product.title }))
        .sort((a, b) => a.title.localeCompare(b.title)),
  });
  stops.push(() => host.close());
  const traffic = options.liveOrdersPerSecond
    ? startLiveTraffic(standIn.store, { ordersPerSecond: options.liveOrdersPerSecond })
    : null;
  if (traffic) stops.push(() => traffic.stop());

  return {
    shop,
    adminUrl: `${host.origin}/`,
    previewUrl: `${preview.origin}/`,
    standInOrigin: standIn.origin,
    appOrigin: `http://127.0.0.1:${appPort}`,
    /** The stand-in itself: its store is what Shopify would hold (tags, segments, metafields). */
    standIn,
    /** The app server's process id (its own process group). */
    appPid: app.pid!,
    /** Settles when the app server's process ends, saying how (a bench stops on an early end). */
    appEnded: new Promise<string>((resolve) =>
      app.once("exit", (code, signal) => resolve(`exit code ${code}, signal ${signal}`)),
    ),
    /** What the stand-in holds now: the numbers the admin pages must show once synced. */
    storeCounts: () => ({
      customers: standIn.store.customers.size,
      orders: standIn.store.orders.size,
    }),
    close: stopAll,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const port = Number(process.env.PORT || 8080);
  let demo: Awaited<ReturnType<typeof startDemo>> | null = null;
  // Ctrl+C while starting exits at once (the exit handler stops every child); once running, closes.
  const stop = () => (demo ? void demo.close().then(() => process.exit(0)) : process.exit(130));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  startDemo({
    port,
    customers: Number(process.env.DEMO_CUSTOMERS || 3000),
    liveOrdersPerSecond: Number(process.env.DEMO_ORDERS_PER_SECOND ?? 0.5),
  }).then(
    (started) => {
      demo = started;
      console.log(
        [
          "",
          "Persegment demo is running:",
          `  admin (the embedded app)  ${started.adminUrl}`,
          `  storefront preview        ${started.previewUrl}`,
          `  Shopify stand-in          ${started.standInOrigin}`,
          "New orders arrive every few seconds; segments and tags follow. Press Ctrl+C to stop.",
        ].join("\n"),
      );
    },
    (error) => {
      // A taken port is the user's to fix: one line that says how. Anything else is a bug: all of it.
      console.error(
        error instanceof PortInUseError
          ? error.message
          : `The demo could not start: ${error instanceof Error ? error.message : error}`,
      );
      process.exit(1);
    },
  );
}
