// One route module of the app served over real HTTP on 127.0.0.1, as Remix runs a resource route:
// GET, HEAD and OPTIONS reach its loader, other methods its action; a thrown Response is sent as
// it is. Tests reach the route with real requests (status, headers, body) without building the app.
import { createServer } from "node:http";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { AddressInfo } from "node:net";

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

export async function serveRoute(path: string, route: { loader?: Handler; action?: Handler }) {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const method = req.method ?? "GET";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const handler = ["GET", "HEAD", "OPTIONS"].includes(method) ? route.loader : route.action;
    let response: Response;
    try {
      if (!handler || new URL(request.url).pathname !== path)
        throw new Response("Not Found", { status: 404 });
      response = (await handler({ request, params: {}, context: {} })) as Response;
    } catch (thrown) {
      response =
        thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
