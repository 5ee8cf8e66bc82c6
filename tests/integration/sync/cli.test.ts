import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { cli, expectedCopy, localCopy } from "./support";

const TOKEN = "cli-token";

describe("CLI: shops add and sync", () => {
  let standIn: StandIn;
  let shop: string;
  beforeAll(async () => {
    shop = testShop("cli");
    standIn = await startStandIn({
      shop,
      accessToken: TOKEN,
      apiSecret: "testApiSecretKey",
      store: generateStore({ customers: 2500, seed: 31 }),
    });
  });
  afterAll(() => standIn.close());

  it("shops add refuses a wrong token and stores nothing", async () => {
    const result = await cli(standIn.origin, ["shops", "add", shop, "--token", "wrong"]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("refused the access token");
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    const usage = await cli(standIn.origin, ["shops", "add", shop]);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain("missing --token");
  });

  it("a sync process killed halfway, started again, ends complete and equal", async () => {
    const added = await cli(standIn.origin, ["shops", "add", shop, "--token", TOKEN]);
    expect(added.code).toBe(0);
    expect(added.output).toContain("read_all_orders");

    const killed = await cli(standIn.origin, ["sync", shop, "--full"], (line) =>
      /^orders\s+\d+/.test(line),
    );
    expect(killed.signal).toBe("SIGKILL");
    const interrupted = await prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "full" } });
    expect(interrupted.status).toBe("running");
    expect(await prisma.order.count({ where: { shop } })).toBeLessThan(standIn.store.orders.size);

    const resumed = await cli(standIn.origin, ["sync", shop, "--full"]);
    expect(resumed.code).toBe(0);
    expect(resumed.output).toMatch(/full sync of .* finished/);
    expect(await prisma.syncRun.count({ where: { shop, kind: "full" } })).toBe(1);
    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "full" } });
    expect(run.status).toBe("succeeded");
    expect(await localCopy(shop)).toEqual(expectedCopy(standIn.store));

    const incremental = await cli(standIn.origin, ["sync", shop]);
    expect(incremental.code).toBe(0);
    expect(incremental.output).toContain(`reconciled ${shop}`);
  });
});
