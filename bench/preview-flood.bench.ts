// Webhook acknowledgements while another shop floods the rule preview (issue 16, item 9): 300
// open segment editors of one shop previewing through the preview route, in the app's process,
// while Shopify sends a burst of webhooks to the endpoint from another process. Ack p99 with and without the flood,
// the median of BENCH_FLOOD_RUNS bursts each; and how the previews were answered.
// BENCH_FLOOD_SECONDS / BENCH_FLOOD_RATE / BENCH_FLOOD_CUSTOMERS change the sizes.
import { action as previewAction } from "~/routes/api.segments.preview";
import { recordInstall } from "~/models/shop.server";
import { generateStore } from "@persegment/shopify-stand-in";
import { adminRequest, storeOfflineSession } from "../tests/support/shopify-requests";
import { insertGeneratedStore } from "../tests/support/store-rows";
import { serveWebhookEndpoint } from "../tests/integration/sync/support";
import { defineBench, median, percentile, round } from "./harness";
import { sendBurstFromOwnProcess, SHOP } from "./webhook-traffic";

const RUNS = Number(process.env.BENCH_FLOOD_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_FLOOD_RATE ?? 50);
const CUSTOMERS = Number(process.env.BENCH_FLOOD_CUSTOMERS ?? 20_000);
const PREVIEWS_IN_FLIGHT = 300;
const FLOODING_SHOP = "bench-preview-flood.myshopify.com";
/** A rule of the kind merchants write: recent buyers of a vendor, or tagged customers. */
const RULE = {
  or: [
    { field: "orders", op: ">=", value: 2, where: { within_days: 365, vendors: ["Northwind"] } },
    { field: "tags", op: "has_any", value: ["vip", "wholesale"] },
  ],
};

async function preview() {
  const signed = await adminRequest(FLOODING_SHOP, "/api/segments/preview");
  const request = new Request(signed.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rule: RULE }),
  });
  try {
    return ((await previewAction({ request, params: {}, context: {} })) as Response).status;
  } catch (thrown) {
    return thrown instanceof Response ? thrown.status : 500;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PREVIEWS_IN_FLIGHT open editors of one shop until `stop` settles, each as the editor behaves:
 * the next preview a keystroke (the 400 ms debounce) after an answer, or Retry-After after a 429.
 * Counts the answers by status.
 */
async function flood(stop: Promise<unknown>) {
  const statuses = new Map<number, number>();
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const editor = async () => {
    while (!stopped) {
      const status = await preview();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      await sleep(status === 429 ? 1_000 : 400);
    }
  };
  await Promise.all(Array.from({ length: PREVIEWS_IN_FLIGHT }, editor));
  return statuses;
}

export default defineBench({
  name: "preview-flood",
  async run() {
    await recordInstall(SHOP, "read_customers,write_customers,read_orders,read_products");
    await storeOfflineSession(FLOODING_SHOP);
    await insertGeneratedStore(FLOODING_SHOP, generateStore({ customers: CUSTOMERS, seed: 16 }));
    const endpoint = await serveWebhookEndpoint();
    try {
      let first = 0;
      const burst = async () => {
        const result = await sendBurstFromOwnProcess(endpoint.url, SECONDS, RATE, first);
        first += result.sent;
        return result;
      };
      const quiet: number[] = [];
      const flooded: number[] = [];
      const answers = new Map<number, number>();
      for (let run = 0; run < RUNS; run++) {
        quiet.push(percentile((await burst()).acks, 99));
        const sending = burst();
        const [result, statuses] = await Promise.all([sending, flood(sending)]);
        flooded.push(percentile(result.acks, 99));
        for (const [status, count] of statuses)
          answers.set(status, (answers.get(status) ?? 0) + count);
      }
      const answered = [...answers].sort(([a], [b]) => a - b);
      return [
        {
          metric: `ack p99, ${RATE}/s for ${SECONDS} s, no previews (median of ${RUNS})`,
          value: round(median(quiet), 1),
          unit: "ms",
          note: `p99 per burst ${quiet.map((p) => round(p, 1)).join(", ")} ms`,
        },
        {
          metric: `ack p99 while another shop keeps ${PREVIEWS_IN_FLIGHT} previews in flight (median of ${RUNS})`,
          value: round(median(flooded), 1),
          unit: "ms",
          target: { op: "<=", value: 50 },
          note: `p99 per burst ${flooded.map((p) => round(p, 1)).join(", ")} ms; ${CUSTOMERS} customers in the flooding shop`,
        },
        {
          metric: "preview answers during the floods",
          value: answered.reduce((sum, [, count]) => sum + count, 0),
          unit: "previews",
          note: answered.map(([status, count]) => `${count} × ${status}`).join(", "),
        },
      ];
    } finally {
      await endpoint.close();
    }
  },
});
