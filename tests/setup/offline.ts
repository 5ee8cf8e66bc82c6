// Runs before each test file's imports. Patches fetch (before @shopify/shopify-api captures it)
// so any request to a non-local host fails the test.
import { setupServer } from "msw/node";
import { afterAll, afterEach } from "vitest";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export const network = setupServer();
network.listen({
  onUnhandledRequest(request, print) {
    if (LOCAL_HOSTS.has(new URL(request.url).hostname)) return;
    print.error();
    throw new Error(`Unexpected network request in a test: ${request.method} ${request.url}`);
  },
});

afterEach(() => network.resetHandlers());
afterAll(() => network.close());
