import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { EXPORT_COLUMNS } from "~/segments/export.server";
import { recordInstall } from "~/models/shop.server";
import { APP_SCOPES, testShop } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";
import { runCli } from "../../support/cli";

const cli = (...args: string[]) => runCli(args, { NODE_ENV: "production" });

const DAY = 86_400_000;

describe("segments and customers commands", () => {
  it("recomputes as of a date, lists segments and exports the §7 columns", async () => {
    const shop = testShop("cli");
    await recordInstall(shop, APP_SCOPES);
    await insertCustomers(shop, [
      { id: customerGid(1), tags: "VIP, wholesale" },
      { id: customerGid(2) },
      { id: customerGid(3) },
    ]);
    const asOf = new Date("2026-05-01T00:00:00Z");
    await insertOrders(shop, [
      {
        id: orderGid(1),
        customerId: customerGid(1),
        processedAt: new Date(asOf.getTime() - 2 * DAY),
        totalCents: 12_345,
      },
      {
        id: orderGid(2),
        customerId: customerGid(1),
        processedAt: new Date(asOf.getTime() - 40 * DAY),
        totalCents: 5,
      },
      {
        id: orderGid(3),
        customerId: customerGid(2),
        processedAt: new Date(asOf.getTime() - 100 * DAY),
        totalCents: 999,
      },
      // after as-of: ignored by the replay
      {
        id: orderGid(4),
        customerId: customerGid(3),
        processedAt: new Date(asOf.getTime() + DAY),
        totalCents: 100,
      },
    ]);

    const recompute = await cli("segments", "recompute", shop, "--as-of", asOf.toISOString());
    expect(recompute.stderr).toBe("");
    expect(recompute.stdout).toMatch(/3 customers, 2 with counted orders, 20 segments/);

    const list = await cli("segments", "list", shop, "--json");
    const segments = JSON.parse(list.stdout) as { handle: string; members: number }[];
    expect(segments.find((s) => s.handle === "never-purchased")?.members).toBe(1);
    expect(segments.find((s) => s.handle === "needs-attention")?.members).toBe(1);

    const csv = await cli("customers", "export", shop, "--format", "csv");
    expect(csv.stdout.trim().split("\n")).toEqual([
      EXPORT_COLUMNS.join(","),
      // c1: F 2 vs 1 -> F = 1 + floor(5*1/2) = 3; M 12350 vs 999 -> 3; R 2 days vs 100 -> 3 ... n = 2
      `${customerGid(1)},2,123.50,${new Date(asOf.getTime() - 2 * DAY).toISOString()},3,3,3,needs-attention,needs-attention;repeat`,
      `${customerGid(2)},1,9.99,${new Date(asOf.getTime() - 100 * DAY).toISOString()},1,1,1,dormant,dormant;lapsed-90;one-time`,
      `${customerGid(3)},0,0.00,,,,,prospects,never-purchased;prospects`,
    ]);
    const jsonl = await cli("customers", "export", shop, "--format", "jsonl");
    const first = JSON.parse(jsonl.stdout.split("\n")[0]);
    expect(Object.keys(first)).toEqual([...EXPORT_COLUMNS]);
    expect(first).toMatchObject({ customer_id: customerGid(1), r: 3, spent: "123.50" });
  });

  it("refuses a rule with a typo, says why, and saves nothing", async () => {
    const shop = testShop("cli-typo");
    await recordInstall(shop, APP_SCOPES);
    const rule = JSON.stringify({ and: [{ field: "frequncy", op: ">=", value: 2 }] });
    const result = await cli("segments", "create", shop, "--name", "Regulars", "--rule", rule);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'rule.and[0].field: Unknown field "frequncy". Did you mean "frequency"?',
    );
    expect(await prisma.segment.count({ where: { shop } })).toBe(0);

    const ok = await cli(
      "segments",
      "create",
      shop,
      "--name",
      "Regulars",
      "--rule",
      rule.replace("frequncy", "frequency"),
    );
    expect(ok.stdout).toMatch(/created regulars with 0 members/);
  });

  it("refuses a bad --as-of and an unknown export format with usage", async () => {
    const shop = testShop("cli-usage");
    await recordInstall(shop, APP_SCOPES);
    expect((await cli("segments", "recompute", shop, "--as-of", "yesterday")).code).toBe(2);
    const format = await cli("customers", "export", shop, "--format", "xml");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format is csv or jsonl");
  });

  it("refuses a shop the app does not know, and creates nothing for it", async () => {
    const typo = testShop("never-installed");
    const outcome = await cli("segments", "recompute", typo);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`unknown shop "${typo}"`);
    expect(await prisma.segment.count({ where: { shop: typo } })).toBe(0);
  });
});
