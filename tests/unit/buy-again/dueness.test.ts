import { describe, expect, it } from "vitest";
import { dueProducts, type PastOrder } from "~/domain/buy-again/dueness";

const NOW = new Date("2026-11-23T10:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const COFFEE = "gid://shopify/Product/1";
const FILTERS = "gid://shopify/Product/2";
const SOAP = "gid://shopify/Product/3";
const CARD = "gid://shopify/Product/4";

const order = (days: number, productIds: string[], extra: Partial<PastOrder> = {}): PastOrder => ({
  createdAt: daysAgo(days),
  cancelled: false,
  financialStatus: "paid",
  lines: productIds.map((productId) => ({ productId, giftCard: false })),
  ...extra,
});

const intervals = new Map([
  [COFFEE, 30],
  [FILTERS, 90],
  [SOAP, 60],
  [CARD, 30],
]);
const everything = () => true;
const options = { duePercent: 90, limit: 4 };

describe("due products", () => {
  it("ranks by days since last bought over the interval, from the latest purchase", () => {
    const due = dueProducts(
      [order(45, [COFFEE]), order(100, [COFFEE, FILTERS]), order(58, [SOAP])],
      intervals,
      everything,
      NOW,
      options,
    );
    expect(
      due.map((product) => [product.productId, product.daysSince, product.duePermille]),
    ).toEqual([
      [COFFEE, 45, 1500],
      [FILTERS, 100, 1111],
      [SOAP, 58, 966],
    ]);
  });

  it("leaves out what is not due yet, and caps the list", () => {
    const orders = [order(10, [COFFEE]), order(100, [FILTERS]), order(70, [SOAP])];
    expect(
      dueProducts(orders, intervals, everything, NOW, options).map((p) => p.productId),
    ).toEqual([SOAP, FILTERS]);
    expect(
      dueProducts(orders, intervals, everything, NOW, { ...options, limit: 1 }).map(
        (p) => p.productId,
      ),
    ).toEqual([SOAP]);
    expect(dueProducts([order(10, [COFFEE])], intervals, everything, NOW, options)).toEqual([]);
  });

  it("ignores cancelled, refunded and voided orders, gift cards, unavailable and unknown products", () => {
    const orders = [
      order(40, [COFFEE], { cancelled: true }),
      order(40, [FILTERS], { financialStatus: "refunded" }),
      order(200, [SOAP], { financialStatus: "voided" }),
      { ...order(40, []), lines: [{ productId: CARD, giftCard: true }] },
      order(300, ["gid://shopify/Product/99"]),
    ];
    expect(dueProducts(orders, intervals, everything, NOW, options)).toEqual([]);
    expect(
      dueProducts([order(40, [COFFEE])], intervals, (id) => id !== COFFEE, NOW, options),
    ).toEqual([]);
  });

  it("breaks ties by the more recent purchase, then the higher product id", () => {
    const due = dueProducts(
      [order(30, [COFFEE]), order(60, [SOAP]), order(90, [FILTERS])],
      intervals,
      everything,
      NOW,
      options,
    );
    expect(due.map((product) => product.productId)).toEqual([COFFEE, SOAP, FILTERS]);
  });
});
