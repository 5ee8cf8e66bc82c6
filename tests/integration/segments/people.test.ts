// The segment page's people: names and emails read from Shopify (the stand-in) for the rows shown
// or exported and never stored, entered/left lists, and a customer's "why" panel.
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { postgres } from "~/models/bulk-sql.server";
import { recordInstall } from "~/models/shop.server";
import { action as createAction } from "~/routes/api.segments";
import { loader as detailLoader } from "~/routes/app.segments.$handle";
import { loader as whyLoader } from "~/routes/app.segments.$handle.customers.$customerId";
import { loader as exportLoader } from "~/routes/app.segments.$handle.export";
import { refreshPredictions } from "~/predictions/refresh.server";
import { MOVEMENTS_PER_PAGE } from "~/segments/people.server";
import { recomputeCustomers, recomputeShop } from "~/segments/recompute.server";
import { SEGMENT_EXPORT_COLUMNS } from "~/segments/member-export.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { network } from "../../setup/offline";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { insertGeneratedStore, insertOrders, orderGid } from "../../support/store-rows";

const DAY = 86_400_000;
const shop = testShop("people");
const now = new Date();
let standIn: StandIn;
/** Ids asked for by each CustomerNames request the app sent to the stand-in. */
const nameRequests: string[][] = [];

function contactOf(gid: string) {
  const customer = standIn.store.customers.get(Number(gid.split("/").pop()))!;
  return { name: `${customer.firstName} ${customer.lastName}`, email: customer.email };
}

async function page(path: string, handle: string) {
  return detailLoader({ request: await adminRequest(shop, path), params: { handle }, context: {} });
}

/** Every text cell of every table in the database (all schemas on PostgreSQL). */
async function everyTextCell() {
  const columns = postgres
    ? await prisma.$queryRawUnsafe<{ table: string; column: string }[]>(
        `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS "table", CAST(column_name AS TEXT) AS "column"
         FROM information_schema.columns
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
           AND data_type IN ('text', 'character varying', 'json', 'jsonb')`,
      )
    : (
        await Promise.all(
          (
            await prisma.$queryRawUnsafe<{ name: string }[]>(
              `SELECT name FROM sqlite_master WHERE type = 'table'`,
            )
          ).map(async ({ name }) =>
            (
              await prisma.$queryRawUnsafe<{ name: string; type: string }[]>(
                `SELECT name, type FROM pragma_table_info('${name}')`,
              )
            )
              .filter((column) => /TEXT|CHAR|CLOB|JSON|^$/i.test(column.type))
              .map((column) => ({ table: `"${name}"`, column: column.name })),
          ),
        )
      ).flat();
  const cells: string[] = [];
  for (const { table, column } of columns) {
    const rows = await prisma.$queryRawUnsafe<{ v: unknown }[]>(
      `SELECT CAST("${column}" AS TEXT) AS v FROM ${table} WHERE "${column}" IS NOT NULL`,
    );
    for (const row of rows) cells.push(String(row.v));
  }
  return { tables: new Set(columns.map((c) => c.table)).size, cells };
}

beforeAll(async () => {
  const store = generateStore({ customers: 600, seed: 18, now });
  const session = await storeOfflineSession(shop);
  await recordInstall(shop, "read_customers,write_customers,read_orders,read_products");
  standIn = await startStandIn({
    shop,
    accessToken: session.accessToken!,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
  });
  store.shop.ianaTimezone = "America/New_York";
  store.shop.currencyCode = "EUR";
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
  await insertGeneratedStore(shop, store);
  // History older than 90 days, then a later full recompute, then one customer's first order.
  await recomputeShop(shop, { asOf: new Date(now.getTime() - 120 * DAY) });
  await recomputeShop(shop, { asOf: new Date(now.getTime() - 10 * DAY) });
}, 120_000);

// The offline guard resets handlers after each test: record the names requests in every test.
beforeEach(() => {
  network.use(
    http.post(`${standIn.origin}/admin/api/*`, async ({ request }) => {
      const body = (await request.clone().json()) as {
        query: string;
        variables?: { ids?: string[] };
      };
      if (body.query.includes("query CustomerNames")) nameRequests.push(body.variables?.ids ?? []);
      return passthrough();
    }),
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn?.close();
});

describe("segment members with names from Shopify", () => {
  it("reads names for the rows on the page only, in the shop's currency and time zone", async () => {
    const biggest = await prisma.segment.findFirstOrThrow({
      where: { shop },
      orderBy: { memberCount: "desc" },
    });
    expect(biggest.memberCount).toBeGreaterThan(50);
    nameRequests.length = 0;
    const detail = await page(`/app/segments/${biggest.handle}`, biggest.handle);
    expect(detail.members).toHaveLength(50);
    expect(detail.namesError).toBeNull();
    expect(detail.timeZone).toBe("America/New_York");
    expect(detail.currency).toBe("EUR");
    const shown = [
      ...detail.members.map((m) => m.id),
      ...detail.movements.rows.map((r) => r.customerId),
    ];
    // One Shopify read, for exactly the customers on screen.
    expect(nameRequests).toHaveLength(1);
    expect(new Set(nameRequests[0])).toEqual(new Set(shown));
    for (const id of shown)
      expect(detail.people[id]).toEqual({
        ...contactOf(id),
        adminPath: `shopify://admin/customers/${id.split("/").pop()}`,
      });
    // Stored for the next visit: the time zone and currency, read once.
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({
      ianaTimezone: "America/New_York",
      currencyCode: "EUR",
    });
  });

  it("lists who entered and left in the last 90 days, newest first, paginated", async () => {
    const segment = await prisma.segment.findFirstOrThrow({
      where: { shop, handle: "never-purchased" },
    });
    const prospect = await prisma.segmentMember.findFirstOrThrow({
      where: { segmentId: segment.id },
    });
    const leftAt = new Date(now.getTime() - 2 * DAY);
    await insertOrders(shop, [
      {
        id: orderGid(990_001),
        customerId: prospect.customerId,
        processedAt: new Date(leftAt.getTime() - 3600_000),
        totalCents: 4_200,
      },
    ]);
    await recomputeCustomers(shop, [prospect.customerId], { asOf: leftAt });

    const since = new Date(now.getTime() - 90 * DAY);
    const expected = await prisma.segmentEvent.findMany({
      where: { shop, segmentId: segment.id, at: { gte: since } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    const older = await prisma.segmentEvent.count({
      where: { shop, segmentId: segment.id, at: { lt: since } },
    });
    expect(older).toBeGreaterThan(0);
    expect(expected.length).toBeGreaterThan(MOVEMENTS_PER_PAGE);

    const first = await page("/app/segments/never-purchased", "never-purchased");
    expect(first.movements.total).toBe(expected.length);
    expect(first.movements.rows[0]).toEqual({
      customerId: prospect.customerId,
      kind: "left",
      at: leftAt.toISOString(),
    });
    expect(first.people[prospect.customerId].name).toBe(contactOf(prospect.customerId).name);
    const second = await page("/app/segments/never-purchased?moves=2", "never-purchased");
    expect(second.movements.rows.map((row) => [row.customerId, row.kind, row.at])).toEqual(
      expected
        .slice(MOVEMENTS_PER_PAGE, 2 * MOVEMENTS_PER_PAGE)
        .map((event) => [event.customerId, event.kind, event.at.toISOString()]),
    );
  });

  it("shows the why panel: values, conditions met, and the tag ledger's reason", async () => {
    const segment = await prisma.segment.findFirstOrThrow({ where: { shop, handle: "repeat" } });
    const member = await prisma.segmentMember.findFirstOrThrow({
      where: { segmentId: segment.id },
    });
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shop_id: { shop, id: member.customerId } },
    });
    await prisma.tagLedger.create({
      data: {
        shop,
        customerId: member.customerId,
        tag: "persegment-repeat",
        segmentId: segment.id,
        reason: "segment repeat (lifecycle)",
        state: "applied",
        addedAt: new Date(now.getTime() - 5 * DAY),
      },
    });
    const numeric = member.customerId.split("/").pop()!;
    const why = await whyLoader({
      request: await adminRequest(shop, `/app/segments/repeat/customers/${numeric}`),
      params: { handle: "repeat", customerId: numeric },
      context: {},
    });
    expect(why.member).toBe(true);
    expect(why.explanation.met).toBe(true);
    expect(why.customer).toMatchObject({
      ...contactOf(member.customerId),
      values: { orders: customer.orders, spentCents: customer.spentCents.toString() },
    });
    expect(why.tags).toEqual([
      expect.objectContaining({
        tag: "persegment-repeat",
        reason: "segment repeat (lifecycle)",
        segmentName: "Repeat buyers",
      }),
    ]);
    // The same customer in a segment they are not in: the unmet condition is named.
    const oneTime = await whyLoader({
      request: await adminRequest(shop, `/app/segments/one-time/customers/${numeric}`),
      params: { handle: "one-time", customerId: numeric },
      context: {},
    });
    expect(oneTime.member).toBe(false);
    expect(oneTime.explanation).toMatchObject({
      met: false,
      children: [{ label: "Exactly one counted order", met: false }],
    });

    for (const [customerId, status] of [
      ["12abc", 400],
      ["999999999", 404],
    ] as const) {
      const refused = await responseOf(async () =>
        whyLoader({
          request: await adminRequest(shop, `/app/segments/repeat/customers/${customerId}`),
          params: { handle: "repeat", customerId },
          context: {},
        }),
      );
      expect(refused.status).toBe(status);
    }
  });

  it("explains a custom rule exactly as the database evaluates it, order conditions included", async () => {
    const signed = await adminRequest(shop, "/api/segments");
    const rule = {
      or: [
        { field: "orders", op: ">=", value: 3, where: { within_days: 365 } },
        {
          and: [
            { field: "r", op: ">=", value: 4 },
            { not: { field: "country", op: "in", value: ["US"] } },
          ],
        },
      ],
    };
    const created = await createAction({
      request: new Request(signed.url, {
        method: "POST",
        body: JSON.stringify({ name: "Busy or recent abroad", rule }),
        headers: { "Content-Type": "application/json" },
      }),
      params: {},
      context: {},
    });
    const { handle } = (await created.json()) as { handle: string };
    const segment = await prisma.segment.findFirstOrThrow({ where: { shop, handle } });
    const members = new Set(
      (await prisma.segmentMember.findMany({ where: { segmentId: segment.id } })).map(
        (member) => member.customerId,
      ),
    );
    expect(members.size).toBeGreaterThan(0);
    const sample = (
      await prisma.customer.findMany({ where: { shop }, take: 40, orderBy: { id: "asc" } })
    ).map((customer) => customer.id);
    expect(sample.some((id) => members.has(id))).toBe(true);
    expect(sample.some((id) => !members.has(id))).toBe(true);
    for (const id of sample) {
      const numeric = id.split("/").pop()!;
      const why = await whyLoader({
        request: await adminRequest(shop, `/app/segments/${handle}/customers/${numeric}`),
        params: { handle, customerId: numeric },
        context: {},
      });
      expect(why.member, id).toBe(members.has(id));
      expect(why.explanation.met, id).toBe(members.has(id));
      const orders = (
        why.explanation as { children: { children?: unknown[]; label?: string; actual?: string }[] }
      ).children[0];
      expect(orders.label).toBe("Orders in the last 365 days is at least 3");
      expect(orders.actual).not.toBe("not checked");
    }
  });

  it("explains the segments on predictions as the database evaluates them, with each prediction explained", async () => {
    const { run } = await refreshPredictions(shop);
    const sample = (
      await prisma.customer.findMany({ where: { shop }, take: 40, orderBy: { id: "asc" } })
    ).map((customer) => customer.id);
    for (const handle of ["likely-to-buy-soon", "slipping-away"]) {
      const segment = await prisma.segment.findFirstOrThrow({ where: { shop, handle } });
      expect(segment.kind).toBe("prediction");
      const members = new Set(
        (await prisma.segmentMember.findMany({ where: { segmentId: segment.id } })).map(
          (member) => member.customerId,
        ),
      );
      expect(sample.some((id) => members.has(id))).toBe(true);
      expect(sample.some((id) => !members.has(id))).toBe(true);
      for (const id of sample) {
        const numeric = id.split("/").pop()!;
        const why = await whyLoader({
          request: await adminRequest(shop, `/app/segments/${handle}/customers/${numeric}`),
          params: { handle, customerId: numeric },
          context: {},
        });
        expect(why.member, id).toBe(members.has(id));
        expect(why.explanation.met, id).toBe(members.has(id));
        const stored = await prisma.customerPrediction.findUnique({
          where: { shop_customerId: { shop, customerId: id } },
        });
        if (!stored) {
          expect(why.predictions).toBeNull();
          continue;
        }
        expect(why.predictions).toMatchObject({ method: run.method });
        const lines = why.predictions!.lines;
        expect(lines.map((line) => line.key)).toEqual([
          "orders",
          "pAlive",
          "orderValue",
          "spend",
          "overdue",
        ]);
        expect(lines[0].value.split(" / ")[1]).toBe(stored.expectedOrders90d.toFixed(2));
        expect(lines[1].value).toBe(`${Math.round(stored.pAlive * 100)}%`);
        // Money in the shop's currency (EUR), and a sentence for every value.
        expect(lines[3].value).toMatch(/^€/);
        for (const line of lines) expect(line.explanation.length).toBeGreaterThan(30);
      }
    }
  });

  it("exports every member with name, email and admin link, asking Shopify ≤ 250 ids at a time", async () => {
    const biggest = await prisma.segment.findFirstOrThrow({
      where: { shop },
      orderBy: { memberCount: "desc" },
    });
    expect(biggest.memberCount).toBeGreaterThan(250);
    nameRequests.length = 0;
    const response = await exportLoader({
      request: await adminRequest(shop, `/app/segments/${biggest.handle}/export`),
      params: { handle: biggest.handle },
      context: {},
    });
    expect(response.status).toBe(200);
    const [header, ...lines] = (await response.text()).trim().split("\n");
    expect(header).toBe(SEGMENT_EXPORT_COLUMNS.join(","));
    expect(lines).toHaveLength(biggest.memberCount);
    expect(nameRequests.length).toBe(Math.ceil(biggest.memberCount / 250));
    expect(Math.max(...nameRequests.map((ids) => ids.length))).toBe(250);
    const store = shop.replace(".myshopify.com", "");
    for (const line of lines) {
      const [id, name, email, url] = line.split(",");
      expect([name, email]).toEqual([contactOf(id).name, contactOf(id).email]);
      expect(url).toBe(`https://admin.shopify.com/store/${store}/customers/${id.split("/").pop()}`);
    }
  });

  it("keeps none of the names or emails it showed or exported in any table", async () => {
    const { tables, cells } = await everyTextCell();
    expect(tables).toBeGreaterThan(10);
    const text = cells.join("\n").toLowerCase();
    const leaked = [...standIn.store.customers.values()]
      .flatMap((c) => [`${c.firstName} ${c.lastName}`, c.email])
      .filter((value) => text.includes(value.toLowerCase()));
    expect(leaked).toEqual([]);
  });

  it("still shows the page with ids and a banner when Shopify does not answer", async () => {
    vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", "http://127.0.0.1:9");
    try {
      const detail = await page("/app/segments/repeat", "repeat");
      expect(detail.members.length).toBeGreaterThan(0);
      expect(detail.namesError).toMatch(/Shopify did not answer/);
      expect(Object.values(detail.people).every((person) => person.name === null)).toBe(true);
      const refused = await exportLoader({
        request: await adminRequest(shop, "/app/segments/repeat/export"),
        params: { handle: "repeat" },
        context: {},
      });
      expect(refused.status).toBe(503);
    } finally {
      vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
    }
  });
});
