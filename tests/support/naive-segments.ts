// PRODUCT.md §1–4 read naively, for tests to check the app's segments against.
import type { ExportRow } from "~/segments/export.server";
import type { Store } from "@persegment/shopify-stand-in";
import { customerGid } from "./store-rows";

const DAY = 86_400_000;

/**
 * A deliberately naive, independent reading of PRODUCT.md §1–4: quadratic loops straight from
 * the formulas, no shared code with app/domain.
 */
export function naiveExpectation(
  store: Pick<Store, "customers" | "orders">,
  asOf: Date,
): Map<string, Omit<ExportRow, "customer_id">> {
  const t = asOf.getTime();
  const counted = [...store.orders.values()].filter(
    (o) => o.customerId !== null && o.cancelledAt === null && !o.test && o.processedAt <= t,
  );
  const stats = new Map<
    number,
    { n: number; spent: bigint; disc: number; first: number; last: number }
  >();
  for (const o of counted) {
    const s = stats.get(o.customerId!) ?? {
      n: 0,
      spent: 0n,
      disc: 0,
      first: Infinity,
      last: -Infinity,
    };
    s.n += 1;
    s.spent += BigInt(o.totalCents);
    s.disc += o.discountCodes.length > 0 ? 1 : 0;
    s.first = Math.min(s.first, o.processedAt);
    s.last = Math.max(s.last, o.processedAt);
    stats.set(o.customerId!, s);
  }
  const P = [...stats.values()];
  const n = P.length;
  const rawR = (s: { last: number }) => Math.floor((t - s.last) / DAY);
  const table: Record<number, [string, string, string]> = {
    5: ["champions", "active", "new"],
    4: ["loyal", "active", "promising"],
    3: ["loyal", "needs-attention", "needs-attention"],
    2: ["previously-loyal", "at-risk", "almost-lost"],
    1: ["previously-loyal", "at-risk", "dormant"],
  };
  const result = new Map<string, Omit<ExportRow, "customer_id">>();
  for (const customer of store.customers.values()) {
    const s = stats.get(customer.id);
    if (!s) {
      result.set(customerGid(customer.id), {
        orders: 0,
        spent: "0.00",
        last_order_at: null,
        r: null,
        f: null,
        m: null,
        rfm_group: "prospects",
        segments: "never-purchased;prospects",
      });
      continue;
    }
    const F = 1 + Math.floor((5 * P.filter((d) => d.n < s.n).length) / n);
    const mBelow = P.filter((d) => d.spent < s.spent).length;
    const M = 1 + Math.floor((5 * mBelow) / n);
    // R ranks the exact time since the last order, to the second.
    const second = (at: number) => Math.floor(at / 1000);
    const R = 1 + Math.floor((5 * P.filter((d) => second(d.last) < second(s.last)).length) / n);
    const FM = (F + M) / 2;
    const group = table[R][FM >= 4 ? 0 : FM > 2 ? 1 : 2];
    const segments = [group];
    if (s.n === 1) segments.push("one-time");
    if (s.n >= 2) segments.push("repeat");
    if (t - s.first <= 30 * DAY) segments.push("new-buyers");
    if (s.n >= 2 && mBelow / n >= 0.9) segments.push("vip");
    if (rawR(s) > 90) segments.push("lapsed-90");
    if (s.n >= 2 && s.disc / s.n >= 0.5) segments.push("discount-seekers");
    result.set(customerGid(customer.id), {
      orders: s.n,
      spent: `${s.spent / 100n}.${String(s.spent % 100n).padStart(2, "0")}`,
      last_order_at: new Date(s.last).toISOString(),
      r: R,
      f: F,
      m: M,
      rfm_group: group,
      segments: segments.sort().join(";"),
    });
  }
  return result;
}
