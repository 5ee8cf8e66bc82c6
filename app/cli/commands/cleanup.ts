import { cleanUpStore, type StoreCleanupReport } from "~/cleanup/store-cleanup.server";
import { gatewayForShop } from "~/shops/access.server";
import type { CliCommand } from "../command";
import { knownShop } from "../known-shop";

function printReport(report: StoreCleanupReport) {
  const { tags, shopifySegments, metafields } = report.planned;
  const lines = [
    `${report.dryRun ? "dry run: would remove" : "found"} ${tags.removals} app tags from ${tags.customers} customers, ${shopifySegments.count} Shopify segments, ${metafields.shop} shop and ${metafields.products} product metafields`,
    ...tags.byTag.map((entry) => `  tag ${entry.tag}: ${entry.customers} customers`),
    ...tags.sample.map((entry) => `  e.g. ${entry.customerId} -${entry.tags.join(" -")}`),
    ...shopifySegments.sample.map((s) => `  segment "${s.name}" (${s.shopifySegmentId})`),
    ...metafields.sample.map((m) => `  metafield ${m.namespace}.${m.key} on ${m.ownerId}`),
  ];
  if (!report.dryRun) {
    const { removed } = report;
    lines.push(
      `removed ${removed.tags} tags, ${removed.shopifySegments} Shopify segments, ${removed.metafields} metafields; tagging is off for every segment and storefront publishing is paused until you publish again`,
    );
  }
  for (const failure of report.tagFailures)
    lines.push(
      `failed tagsRemove ${failure.customerId} [${failure.tags.join(", ")}]: ${failure.message}`,
    );
  for (const failure of report.segmentFailures)
    lines.push(`failed segmentDelete "${failure.name}": ${failure.message}`);
  lines.push(`API calls made: ${report.apiCalls}`);
  console.log(lines.join("\n"));
}

export const cleanupCommands: CliCommand[] = [
  {
    name: "cleanup",
    usage:
      "cleanup <shop> [--dry-run]   (removes every tag, Shopify segment and metafield the app wrote)",
    options: { "dry-run": { type: "boolean" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals, { alone: true });
      const report = await cleanUpStore(await gatewayForShop(shop), shop, {
        dryRun: Boolean(options["dry-run"]),
      });
      printReport(report);
      if (report.tagFailures.length || report.segmentFailures.length) process.exitCode = 1;
    },
  },
];
