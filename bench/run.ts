// `npm run bench [-- <name filter>…]`: runs every bench/*.bench.ts (or those whose file name
// contains a filter word), each in a child process with a fresh migrated database, prints one
// table and saves the results as JSON in bench/results/ (latest[-postgresql][-<filter>].json and
// a timestamped copy).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_DATABASE_URL } from "../prisma/provider.js";
import { createScratchDatabase } from "../tests/support/scratch-database";
import { meetsTarget, type Bench, type BenchMetric } from "./harness";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const RESULT_MARKER = "@@bench-result@@";

// The app's configuration, as under tests; a bench never talks to the real Shopify.
const BENCH_ENV = {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: "testApiKey",
  SHOPIFY_API_SECRET: "testApiSecretKey",
  SHOPIFY_APP_URL: "https://my-test-app.myshopify.io",
  SCOPES: "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products",
};

interface BenchOutcome {
  file: string;
  name: string;
  seconds: number;
  metrics: BenchMetric[];
  error?: string;
}

/** Child mode: run one bench module against the database the parent prepared. */
async function runOne(file: string) {
  const module = (await import(pathToFileURL(path.join(benchDir, file)).href)) as {
    default: Bench;
  };
  const metrics = await module.default.run();
  process.stdout.write(
    `\n${RESULT_MARKER}${JSON.stringify({ name: module.default.name, metrics })}\n`,
  );
}

async function runInChild(file: string): Promise<BenchOutcome> {
  const started = Date.now();
  const database = await createScratchDatabase(
    process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    "bench",
  );
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--expose-gc", path.join(benchDir, "run.ts"), "--child", file],
      {
        cwd: root,
        env: { ...BENCH_ENV, ...process.env, DATABASE_URL: database.url },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      process.stdout.write(text.replace(new RegExp(`${RESULT_MARKER}.*\\n?`), ""));
    });
    child.on("close", (code) => {
      void database.drop();
      const seconds = (Date.now() - started) / 1000;
      const line = output.split("\n").find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && line) {
        const { name, metrics } = JSON.parse(line.slice(RESULT_MARKER.length));
        resolve({ file, name, seconds, metrics });
      } else resolve({ file, name: file, seconds, metrics: [], error: `exit code ${code}` });
    });
  });
}

function formatValue(metric: BenchMetric) {
  if (metric.value === null) return "n/a";
  // Scores below 1 (a layout shift score of 0.02) keep three decimals.
  const digits = Math.abs(metric.value) < 1 ? 3 : 1;
  const value = Number.isInteger(metric.value) ? metric.value : metric.value.toFixed(digits);
  return `${value} ${metric.unit}`.trimEnd();
}

function printTable(outcomes: BenchOutcome[]) {
  const rows = [["bench", "metric", "value", "target", "ok"]];
  for (const outcome of outcomes) {
    if (outcome.error) rows.push([outcome.name, "(failed)", outcome.error, "", "FAIL"]);
    for (const metric of outcome.metrics) {
      const ok = meetsTarget(metric);
      rows.push([
        outcome.name,
        metric.metric,
        formatValue(metric),
        metric.target ? `${metric.target.op} ${metric.target.value} ${metric.unit}` : "",
        ok === null ? "" : ok ? "yes" : "NO",
      ]);
    }
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ");
  console.log(`\n${line(rows[0])}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(argv: string[]) {
  if (argv[0] === "--child") return runOne(argv[1]);
  const filters = argv.filter((arg) => !arg.startsWith("-"));
  const files = readdirSync(benchDir)
    .filter((file) => file.endsWith(".bench.ts"))
    .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
    .sort();
  if (files.length === 0) {
    console.error(`no bench/*.bench.ts matches ${filters.join(" ")}`);
    process.exitCode = 2;
    return;
  }
  const outcomes: BenchOutcome[] = [];
  for (const file of files) {
    console.log(`\n== ${file}`);
    outcomes.push(await runInChild(file));
  }
  const report = {
    at: new Date().toISOString(),
    node: process.version,
    database: process.env.DATABASE_URL?.startsWith("postgres") ? "postgresql" : "sqlite",
    cpus: (await import("node:os")).cpus().length,
    benches: outcomes,
  };
  mkdirSync(path.join(benchDir, "results"), { recursive: true });
  const stamp = report.at.replace(/[:.]/g, "-");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(path.join(benchDir, "results", `${stamp}.json`), json);
  // Partial runs (a filter) do not replace the full picture in latest.json; PostgreSQL runs are
  // kept beside SQLite's (latest-postgresql*.json).
  const name = [
    "latest",
    ...(report.database === "postgresql" ? ["postgresql"] : []),
    ...filters,
  ].join("-");
  writeFileSync(path.join(benchDir, "results", `${name}.json`), json);
  printTable(outcomes);
  console.log(`\nsaved bench/results/${stamp}.json`);
  if (outcomes.some((outcome) => outcome.error)) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
