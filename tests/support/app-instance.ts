// One app instance, as a process of its own (multi-instance tests): the app's webhook endpoint
// over real HTTP and its share of the background work, as the server runs them. Prints one JSON
// line, {"url", "pid"}, once it takes requests; SIGTERM stops it gracefully.
//   tsx tests/support/app-instance.ts
import { startBackgroundWork, stopBackgroundWork } from "~/pipeline.server";
import { serveWebhookEndpoint } from "../integration/sync/support";

const endpoint = await serveWebhookEndpoint();
await startBackgroundWork();
console.log(JSON.stringify({ url: endpoint.url, pid: process.pid }));

process.on("SIGTERM", () => {
  void (async () => {
    await endpoint.close();
    await stopBackgroundWork();
    process.exit(0);
  })();
});
