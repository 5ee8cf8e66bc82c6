import { WRITE_STRATEGIES, type WriteStrategy } from "~/domain/tags/strategy";
import { loadTaggedSegments } from "~/models/tag-ledger.server";
import { gatewayForShop } from "~/shops/access.server";
import { applyShopTags, removeAllAppTags, type TagRunReport } from "~/tags/apply.server";
import { segmentIdByHandle, setTagging } from "~/tags/setup.server";
import { publishShopifySegment, shopifySubscribedCount } from "~/tags/shopify-segments.server";
import { UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

function printReport(report: TagRunReport) {
  const lines = [
    `${report.dryRun ? "dry run: would write" : "wrote"} ${report.adds} tag adds and ${report.removes} tag removes for ${report.customers} customers (${report.mutations} mutations, ${report.strategy})`,
    ...report.sample.map(
      (change) =>
        `  ${change.customerId}${change.add.length ? ` +${change.add.join(" +")}` : ""}${change.remove.length ? ` -${change.remove.join(" -")}` : ""}`,
    ),
  ];
  if (report.customers > report.sample.length)
    lines.push(`  … and ${report.customers - report.sample.length} more customers`);
  if (report.merchantOwned)
    lines.push(
      `left alone: ${report.merchantOwned} tags the customer already had (not written by the app)`,
    );
  if (report.merchantRemovedKept)
    lines.push(`not re-added: ${report.merchantRemovedKept} app tags a merchant removed by hand`);
  for (const invalid of report.invalidSegments)
    lines.push(`skipped segment ${invalid.handle}: ${invalid.error}`);
  for (const op of report.bulkOperations)
    lines.push(`bulk ${op.operation}: ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`);
  for (const failure of report.failures)
    lines.push(
      `failed ${failure.operation} ${failure.customerId} [${failure.tags.join(", ")}]: ${failure.message}`,
    );
  lines.push(
    `API calls made: ${report.apiCalls}${report.throttled ? ` (throttled ${report.throttled})` : ""}`,
  );
  console.log(lines.join("\n"));
}

function strategyOption(value: string | boolean | undefined): WriteStrategy | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !WRITE_STRATEGIES.includes(value as WriteStrategy))
    throw new UsageError(`--strategy must be one of ${WRITE_STRATEGIES.join(", ")}`);
  return value as WriteStrategy;
}

export const tagCommands: CliCommand[] = [
  {
    name: "tags apply",
    usage: "tags apply <shop> [--dry-run] [--strategy paced|bulk]",
    options: { "dry-run": { type: "boolean" }, strategy: { type: "string" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const strategy = strategyOption(options.strategy);
      const report = await applyShopTags(await gatewayForShop(shop), shop, {
        dryRun: Boolean(options["dry-run"]),
        strategy,
      });
      printReport(report);
      if (report.failures.length) process.exitCode = 1;
    },
  },
  {
    name: "tags remove-all",
    usage:
      "tags remove-all <shop> [--dry-run]   (turns tagging off and removes every tag the app wrote)",
    options: { "dry-run": { type: "boolean" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const report = await removeAllAppTags(await gatewayForShop(shop), shop, {
        dryRun: Boolean(options["dry-run"]),
      });
      printReport(report);
      if (report.failures.length) process.exitCode = 1;
    },
  },
  {
    name: "tags enable",
    usage: "tags enable <shop> <segment-handle>…",
    async run(positionals) {
      const shop = await knownShop(positionals);
      if (positionals.length < 2) throw new UsageError("name at least one segment handle");
      for (const handle of positionals.slice(1)) {
        const { tag } = await setTagging(shop, await segmentIdByHandle(shop, handle), true);
        console.log(`${handle}: tagging on (${tag})`);
      }
    },
  },
  {
    name: "tags disable",
    usage: "tags disable <shop> <segment-handle>…",
    async run(positionals) {
      const shop = await knownShop(positionals);
      if (positionals.length < 2) throw new UsageError("name at least one segment handle");
      for (const handle of positionals.slice(1)) {
        await setTagging(shop, await segmentIdByHandle(shop, handle), false);
        console.log(`${handle}: tagging off (its tags are removed on the next tags apply)`);
      }
    },
  },
  {
    name: "segments publish-shopify",
    usage:
      "segments publish-shopify <shop> [<segment-handle>…]   (Shopify segments for tagged segments)",
    async run(positionals) {
      const shop = await knownShop(positionals);
      const gateway = await gatewayForShop(shop);
      const handles = positionals.slice(1);
      const segments = handles.length
        ? await Promise.all(
            handles.map(async (handle) => ({ id: await segmentIdByHandle(shop, handle), handle })),
          )
        : await loadTaggedSegments(shop);
      if (segments.length === 0)
        console.log("no tagged segments: turn tagging on first (tags enable)");
      for (const segment of segments) {
        const published = await publishShopifySegment(gateway, shop, segment.id);
        const subscribed = await shopifySubscribedCount(gateway, published.tag);
        console.log(
          `${segment.handle}: ${published.created ? "created" : "already there"} "${published.name}" (${published.shopifySegmentId}) ${published.query}; ${subscribed ?? "?"} tagged customers subscribed to email marketing`,
        );
      }
      console.log(`API calls made: ${gateway.stats().calls}`);
    },
  },
];
