// A local storefront for the preview: persona pages, the extension's assets, and Shopify's AJAX
// cart (/cart.js, /cart/add.js) kept per persona, so the free-shipping bar can react to real
// cart changes in a real browser.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { EXTENSION_DIR } from "./liquid";
import { PIXEL_WORKER_PATH, webPixelWorkerScript } from "./web-pixel";
import {
  BAR_PLACEMENTS,
  cartJson,
  cartSections,
  PERSONAS,
  personaById,
  renderPersonaPage,
  type BarPlacement,
  type CartLine,
  type PublishedStorefront,
} from "./render";

export interface PreviewServerOptions {
  /** The data to render, or a function read on every request (e.g. the stand-in's live metafields). */
  published: PublishedStorefront | (() => PublishedStorefront);
  now?: () => Date;
  port?: number;
  host?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function personaFromCookie(request: IncomingMessage) {
  const match = /(?:^|;\s*)persona=([\w-]+)/.exec(request.headers.cookie ?? "");
  return personaById(match?.[1] ?? PERSONAS[0].id);
}

/** Where the top bar is turned on: `?bar=embed|block|both` on a persona page, kept in a cookie. */
function barPlacement(request: IncomingMessage, url: URL): BarPlacement {
  const asked =
    url.searchParams.get("bar") ?? /(?:^|;\s*)bar=(\w+)/.exec(request.headers.cookie ?? "")?.[1];
  if (!asked) return "embed";
  if (!BAR_PLACEMENTS.includes(asked as BarPlacement))
    throw Object.assign(new Error(`bar must be one of ${BAR_PLACEMENTS.join(", ")}`), {
      status: 400,
    });
  return asked as BarPlacement;
}

export async function startPreviewServer({
  published: source,
  now = () => new Date(),
  port = 0,
  host = "127.0.0.1",
}: PreviewServerOptions) {
  const carts = new Map<string, CartLine[]>();
  let published = typeof source === "function" ? source() : source;
  const cartOf = (personaId: string) => {
    if (!carts.has(personaId)) carts.set(personaId, personaById(personaId).initialCart(published));
    return carts.get(personaId)!;
  };

  const server = createServer(async (request, response) => {
    try {
      if (typeof source === "function") published = source();
      const url = new URL(request.url ?? "/", "http://preview.invalid");
      const html = (body: string, headers: Record<string, string> = {}) => {
        response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", ...headers });
        response.end(body);
      };
      const json = (body: unknown) => {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify(body));
      };

      if (url.pathname === "/") {
        return html(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Storefront preview</title></head><body><main><h1>Storefront preview</h1><ul>${PERSONAS.map(
            (persona) => `<li><a href="/personas/${persona.id}">${persona.label}</a></li>`,
          ).join("")}</ul></main></body></html>`,
        );
      }
      const personaPage = /^\/personas\/([\w-]+)$/.exec(url.pathname);
      if (personaPage) {
        const persona = personaById(personaPage[1]);
        if (url.searchParams.has("reset")) carts.delete(persona.id);
        const placement = barPlacement(request, url);
        const page = await renderPersonaPage(persona, published, {
          now: now(),
          cart: cartOf(persona.id),
          barPlacement: placement,
        });
        response.setHeader("Set-Cookie", [
          `persona=${persona.id}; Path=/; SameSite=Lax`,
          `bar=${placement}; Path=/; SameSite=Lax`,
        ]);
        return html(page);
      }
      const productPage = /^\/products\/([\w-]+)$/.exec(url.pathname);
      if (productPage) {
        const persona = personaFromCookie(request);
        const product = published.products.find((candidate) => candidate.handle === productPage[1]);
        if (!product) throw Object.assign(new Error("no such product"), { status: 404 });
        return html(
          await renderPersonaPage({ ...persona, page: "product" }, published, {
            now: now(),
            cart: cartOf(persona.id),
            productId: product.id,
            barPlacement: barPlacement(request, url),
          }),
        );
      }
      if (url.pathname === "/cart") {
        const persona = personaFromCookie(request);
        return html(
          await renderPersonaPage({ ...persona, page: "cart" }, published, {
            now: now(),
            cart: cartOf(persona.id),
            barPlacement: barPlacement(request, url),
          }),
        );
      }
      if (url.pathname === "/cart.js") {
        const persona = personaFromCookie(request);
        return json(cartJson(published, cartOf(persona.id), persona.currency));
      }
      if (url.pathname === "/cart/add.js" && request.method === "POST") {
        const persona = personaFromCookie(request);
        const { items, sections } = JSON.parse(await readBody(request)) as {
          items: { id: string; quantity: number }[];
          /** Section rendering, as themes ask for it: the sections' HTML after the add. */
          sections?: string;
        };
        const cart = cartOf(persona.id);
        for (const item of items) {
          if (!published.products.some((product) => product.id === item.id))
            throw Object.assign(new Error(`no product ${item.id}`), { status: 422 });
          const line = cart.find((candidate) => candidate.productId === item.id);
          if (line) line.quantity += item.quantity;
          else cart.push({ productId: item.id, quantity: item.quantity });
        }
        if (!sections) return json({ items });
        const rendered: Record<string, string> = cartSections(persona, published, cart);
        return json({
          items,
          sections: Object.fromEntries(
            sections.split(",").map((id) => {
              if (!(id in rendered))
                throw Object.assign(new Error(`no section ${id}`), { status: 422 });
              return [id, rendered[id]];
            }),
          ),
        });
      }
      const image = /^\/images\/(\d+)\.svg$/.exec(url.pathname);
      if (image) {
        // A placeholder product photo: a coloured square per product.
        const hue = (Number(image[1]) * 47) % 360;
        response.writeHead(200, { "Content-Type": "image/svg+xml" });
        return response.end(
          `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="720"><rect width="720" height="720" fill="hsl(${hue} 45% 70%)"/></svg>`,
        );
      }
      if (url.pathname === PIXEL_WORKER_PATH && published.webPixel) {
        response.writeHead(200, { "Content-Type": CONTENT_TYPES[".js"] });
        return response.end(await webPixelWorkerScript());
      }
      const asset = /^\/assets\/([\w.-]+)$/.exec(url.pathname);
      if (asset && CONTENT_TYPES[path.extname(asset[1])]) {
        const body = await readFile(path.join(EXTENSION_DIR, "assets", asset[1]));
        response.writeHead(200, { "Content-Type": CONTENT_TYPES[path.extname(asset[1])] });
        return response.end(body);
      }
      throw Object.assign(new Error("not found"), { status: 404 });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(error instanceof Error ? error.message : String(error));
    }
  });

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${actualPort}`,
    /** Empties every persona's cart back to its starting contents. */
    resetCarts: () => carts.clear(),
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
