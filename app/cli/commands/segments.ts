import { readFileSync } from "node:fs";
import { parseCalendarTime } from "~/domain/dates";
import { describeProblems } from "~/domain/segments/rules";
// Segments follow `sync` run from the command line too.
import { listSegmentOverview } from "~/segments/overview.server";
import { previewRule, saveCustomSegment } from "~/segments/custom.server";
import { exportLines, type ExportFormat } from "~/segments/export.server";
import { readEngagementGroups } from "~/segments/engagement.server";
import { rebuildPerformance } from "~/segments/performance.server";
import { recomputeShop } from "~/segments/recompute.server";
import { UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

function parseAsOf(value: string | boolean | undefined) {
  if (value === undefined) return new Date();
  const asOf = parseCalendarTime(value);
  if (!asOf)
    throw new UsageError(
      `--as-of needs an ISO date such as 2026-06-30 or 2026-06-30T12:00:00Z, got "${value}"`,
    );
  return asOf;
}

/** A rule given inline as JSON, or as @path to a JSON file. */
function ruleArgument(value: string | boolean | undefined): unknown {
  if (typeof value !== "string") throw new UsageError("missing --rule <json | @file.json>");
  const text = value.startsWith("@") ? readFileSync(value.slice(1), "utf8") : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The rule is not valid JSON (${error instanceof Error ? error.message : error}).`,
    );
  }
}

const number = new Intl.NumberFormat("en-US");

export const segmentCommands: CliCommand[] = [
  {
    name: "segments recompute",
    usage: "segments recompute <shop> [--as-of <ISO date>]",
    options: { "as-of": { type: "string" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const started = performance.now();
      const result = await recomputeShop(shop, { asOf: parseAsOf(options["as-of"]) });
      console.log(
        `recomputed ${shop} as of ${result.asOf.toISOString()}: ${number.format(result.customers)} customers, ${number.format(result.buyers)} with counted orders, ${result.segments} segments; ${number.format(result.entered)} entries, ${number.format(result.left)} exits, ${number.format(result.scoresWritten)} score rows written (${Math.round(performance.now() - started)} ms)`,
      );
      for (const handle of result.skipped)
        console.log(`skipped custom segment ${handle}: its rule is no longer valid`);
      for (const handle of result.failed)
        console.log(`custom segment ${handle} kept its members: its rule failed to evaluate`);
    },
  },
  {
    name: "segments performance",
    usage: "segments performance <shop> [--all]",
    options: { all: { type: "boolean" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const started = performance.now();
      const result = await rebuildPerformance(shop, { everything: options.all === true });
      if ("waiting" in result)
        console.log(
          `${shop}: no performance yet: segments not computed or the shop's time zone unknown (run a full sync)`,
        );
      else
        console.log(
          `${shop}: ${number.format(result.periods)} periods added up (${number.format(result.rows)} rows) in ${Math.round(performance.now() - started)} ms`,
        );
    },
  },
  {
    name: "segments list",
    usage: "segments list <shop> [--json]",
    options: { json: { type: "boolean" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const { segments, customers } = await listSegmentOverview(shop);
      if (options.json) {
        console.log(
          JSON.stringify(
            segments.map((segment) => ({
              handle: segment.handle,
              name: segment.name,
              kind: segment.kind,
              members: segment.members,
              tagEnabled: segment.tagEnabled,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (segments.length === 0) {
        console.log(`no segments yet for ${shop}; run: segments recompute ${shop}`);
        return;
      }
      const width = Math.max(...segments.map((segment) => segment.handle.length));
      for (const segment of segments)
        console.log(
          `${segment.handle.padEnd(width)}  ${segment.kind.padEnd(9)}  ${number.format(segment.members).padStart(9)}  ${(customers ? (100 * segment.members) / customers : 0).toFixed(1).padStart(5)}%  ${segment.name}`,
        );
    },
  },
  {
    name: "segments create",
    usage: "segments create <shop> --name <name> --rule <json | @file.json> [--handle <handle>]",
    options: {
      name: { type: "string" },
      rule: { type: "string" },
      handle: { type: "string" },
      description: { type: "string" },
    },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const result = await saveCustomSegment(shop, {
        name: options.name,
        handle: options.handle,
        description: options.description,
        rule: ruleArgument(options.rule),
      });
      if (!result.ok)
        throw new Error(`The segment was not saved:\n${describeProblems(result.problems)}`);
      console.log(
        `created ${result.segment.handle} with ${number.format(result.segment.memberCount)} members`,
      );
    },
  },
  {
    name: "segments preview",
    usage: "segments preview <shop> --rule <json | @file.json>",
    options: { rule: { type: "string" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const result = await previewRule(shop, ruleArgument(options.rule));
      if (!result.ok)
        throw new Error(`The rule was refused:\n${describeProblems(result.problems)}`);
      console.log(
        `${number.format(result.count)} of ${number.format(result.total)} customers match`,
      );
    },
  },
  {
    name: "customers export",
    usage: "customers export <shop> [--format csv|jsonl]",
    options: { format: { type: "string" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals);
      const format = (options.format ?? "csv") as ExportFormat;
      if (format !== "csv" && format !== "jsonl")
        throw new UsageError(`--format is csv or jsonl, not "${format}"`);
      for await (const line of exportLines(shop, format))
        if (!process.stdout.write(line))
          await new Promise((resolve) => process.stdout.once("drain", resolve));
    },
  },
  {
    name: "segments engagement",
    usage: "segments engagement <shop>",
    async run(positionals) {
      const shop = await knownShop(positionals);
      const read = await readEngagementGroups(shop);
      console.log(
        read.sendsShopifyEmail || read.groups > 0
          ? `read ${read.groups} email engagement groups of ${shop} from Shopify: ${number.format(read.entered)} entries, ${number.format(read.left)} exits`
          : `${shop} sends no Shopify Email: no email engagement groups`,
      );
    },
  },
];
