import { describe, expect, it } from "vitest";
import { inEventOrder } from "~/domain/webhooks/event-order";

const at = (ms: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, 0, ms));
const delivery = (
  webhookId: string,
  topic: string,
  triggeredMs: number | null,
  receivedMs = 900,
) => ({
  webhookId,
  topic,
  triggeredAt: triggeredMs === null ? null : at(triggeredMs),
  receivedAt: at(receivedMs),
});

describe("deliveries in event order", () => {
  it("orders by trigger time, a create first on a tie, then as claimed", () => {
    const update = delivery("u", "customers/update", 100);
    const create = delivery("c", "customers/create", 100);
    const earlier = delivery("e", "orders/create", 50);
    const untimed = delivery("n", "orders/updated", null, 75);
    const sameA = delivery("a", "orders/updated", 200);
    const sameB = delivery("b", "orders/updated", 200);
    const claimed = ["u", "c", "e", "n", "b", "a"];
    const ordered = inEventOrder([update, create, earlier, untimed, sameA, sameB], claimed);
    expect(ordered.map((d) => d.webhookId)).toEqual(["e", "n", "c", "u", "b", "a"]);
  });
});
