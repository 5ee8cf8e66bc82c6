// The demo's stand-in for the Shopify admin: a page that frames the embedded app and hands it
// genuine session tokens (HS256 JWTs signed with the app secret, exactly what the admin's App
// Bridge supplies). The app is reached through a reverse proxy on the same origin; the only change
// to its HTML is that the App Bridge script from Shopify's CDN (unreachable offline) is replaced
// by a small local one with the same job: attach a fresh session token to the app's own requests.
// The app itself runs unmodified, with no authentication bypass.
import { createHmac, randomUUID } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { APP_NAV } from "../../app/navigation";

export interface AdminHostOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Where the built app listens, e.g. http://127.0.0.1:3101 */
  appOrigin: string;
  port?: number;
  /** Further links in the admin navigation, e.g. the storefront preview. */
  extraLinks?: { label: string; href: string }[];
  /** The shop's products, for the admin's product picker (App Bridge's resourcePicker). */
  products?: () => { id: string; title: string }[];
}

/** The port the host was asked for is taken: one line that says what to do. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is in use; set PORT to a free port (PORT=${port + 1} npm run demo)`);
    this.name = "PortInUseError";
  }
}

const APP_BRIDGE_CDN = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
// The app's own navigation list (the one its <NavMenu> draws), not a copy kept in step by hand.
const NAV = APP_NAV.map(({ href, label }) => [href, label] as const);

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/** A session token as the Shopify admin issues it (valid for one minute). */
export function mintSessionToken(
  shop: string,
  apiKey: string,
  apiSecret: string,
  now = Date.now(),
) {
  const seconds = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: "1",
      exp: seconds + 60,
      nbf: seconds - 5,
      iat: seconds,
      jti: randomUUID(),
      sid: "demo-session",
    }),
  );
  const signature = base64url(
    createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest(),
  );
  return `${header}.${payload}.${signature}`;
}

function embeddedAppUrl(path: string, shop: string, token: string) {
  const host = Buffer.from(
    `admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`,
  ).toString("base64");
  const params = new URLSearchParams({ embedded: "1", shop, host, id_token: token });
  return `${path}?${params}`;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function adminPage(
  path: string,
  shop: string,
  frameSrc: string,
  extraLinks: { label: string; href: string }[],
) {
  // The page's own entry, or the entry it lies under (e.g. Segments for /app/segments/new).
  const current = NAV.map(([href]) => href)
    .filter((href) => path === href || path.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  const links = [
    ...NAV.map(
      ([href, label]) => [`/?path=${encodeURIComponent(href)}`, label, href === current] as const,
    ),
    ...extraLinks.map(({ href, label }) => [href, label, false] as const),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Persegment — demo admin</title>
<style>
  body{margin:0;font-family:system-ui,sans-serif;display:grid;grid-template-columns:220px 1fr;height:100vh;background:#f1f1f1}
  nav{background:#1a1a1a;color:#e3e3e3;padding:16px}
  nav h1{font-size:14px;margin:0 0 4px} nav p{font-size:12px;color:#aaa;margin:0 0 16px}
  nav a{display:block;color:#e3e3e3;text-decoration:none;padding:6px 8px;border-radius:6px;font-size:14px}
  nav a[aria-current=page]{background:#303030}
  iframe{border:0;width:100%;height:100%;background:#f1f1f1}
  @media (max-width:640px){
    body{grid-template-columns:1fr;grid-template-rows:auto 1fr}
    nav{display:flex;align-items:center;gap:4px;overflow-x:auto;padding:8px;white-space:nowrap}
    nav h1{margin:0 8px 0 0} nav p{display:none}
  }
</style></head><body>
<nav aria-label="Persegment"><h1>Persegment</h1><p>${escapeHtml(shop)}</p>
${links.map(([href, label, current]) => `<a href="${escapeHtml(href)}"${current ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`).join("\n")}
</nav>
<iframe title="Persegment app" src="${escapeHtml(frameSrc)}"></iframe>
</body></html>`;
}

/** The local App Bridge: session tokens on demand and on every same-origin request of the app. */
function appBridgeScript(apiKey: string) {
  return `(() => {
  const tokenUrl = "/__admin/session-token";
  async function idToken() {
    const response = await window.__adminFetch(tokenUrl, { headers: { "X-App-Key": ${JSON.stringify(apiKey)} } });
    return (await response.json()).token;
  }
  window.__adminFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(typeof input === "string" ? input : input.url, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/__admin/")) return window.__adminFetch(input, init);
    const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
    headers.set("Authorization", "Bearer " + (await idToken()));
    return window.__adminFetch(input, { ...init, headers });
  };
  // The admin's product picker, reduced to its essence: tick products, get [{ id, title }] back
  // (undefined when cancelled), as shopify.resourcePicker answers.
  async function resourcePicker({ type = "product", multiple = false } = {}) {
    if (type !== "product") throw new Error("The demo admin picks products only");
    const products = await (await window.__adminFetch("/__admin/products")).json();
    return new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.setAttribute("aria-label", "Select products");
      dialog.style.cssText = "border:0;border-radius:12px;padding:16px;width:min(420px,90vw);font:14px system-ui,sans-serif;box-shadow:0 8px 32px #0004";
      const form = document.createElement("form");
      form.method = "dialog";
      const heading = document.createElement("h2");
      heading.textContent = "Select products";
      heading.style.cssText = "font-size:16px;margin:0 0 12px";
      const list = document.createElement("div");
      list.style.cssText = "max-height:50vh;overflow:auto;border-block:1px solid #e3e3e3;padding:4px 0";
      for (const product of products) {
        const label = document.createElement("label");
        label.style.cssText = "display:flex;gap:8px;padding:6px 4px;cursor:pointer";
        const box = document.createElement("input");
        box.type = multiple ? "checkbox" : "radio";
        box.name = "product";
        box.value = product.id;
        label.append(box, product.title);
        list.append(label);
      }
      const buttons = document.createElement("div");
      buttons.style.cssText = "display:flex;justify-content:flex-end;gap:8px;margin-top:12px";
      for (const [value, text] of [["cancel", "Cancel"], ["select", "Select"]]) {
        const button = document.createElement("button");
        button.value = value;
        button.textContent = text;
        button.style.cssText = "padding:6px 12px;border-radius:8px;border:1px solid #ccc;background:" + (value === "select" ? "#303030;color:#fff" : "#fff");
        buttons.append(button);
      }
      form.append(heading, list, buttons);
      dialog.append(form);
      dialog.addEventListener("close", () => {
        const chosen = dialog.returnValue === "select"
          ? [...list.querySelectorAll("input:checked")].map((box) => products.find((p) => p.id === box.value))
          : [];
        dialog.remove();
        resolve(chosen.length ? chosen : undefined);
      });
      document.body.append(dialog);
      dialog.showModal();
    });
  }
  window.shopify = { idToken, resourcePicker, config: { apiKey: ${JSON.stringify(apiKey)} },
    toast: { show: (message) => console.info("toast:", message) } };
  // The admin draws <ui-nav-menu> in its own chrome (here: the left column), not in the app.
  customElements.define("ui-nav-menu", class extends HTMLElement {
    connectedCallback() { this.style.display = "none"; }
  });
})();`;
}

export async function startAdminHost(options: AdminHostOptions) {
  const { shop, apiKey, apiSecret, appOrigin } = options;
  const app = new URL(appOrigin);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://host");

    if (url.pathname === "/") {
      // Any page of the app (deep links and reloads), never another origin.
      const path = url.searchParams.get("path") ?? "/app";
      const safePath = /^\/app(\/[\w$.-]+)*$/.test(path) ? path : "/app";
      const frameSrc = embeddedAppUrl(safePath, shop, mintSessionToken(shop, apiKey, apiSecret));
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return void response.end(adminPage(safePath, shop, frameSrc, options.extraLinks ?? []));
    }
    if (url.pathname === "/__admin/session-token") {
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      return void response.end(
        JSON.stringify({ token: mintSessionToken(shop, apiKey, apiSecret) }),
      );
    }
    if (url.pathname === "/__admin/products") {
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      return void response.end(JSON.stringify(options.products?.() ?? []));
    }
    if (url.pathname === "/__admin/app-bridge.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" });
      return void response.end(appBridgeScript(apiKey));
    }
    proxyToApp(request, response, app);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(options.port ?? 0) : error),
    );
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The stand-in's webhook deliveries in flight (thousands after a big tag write) would
        // otherwise hold the close open for good.
        server.closeAllConnections();
      }),
  };
}

function proxyToApp(request: IncomingMessage, response: ServerResponse, app: URL) {
  const upstream = httpRequest(
    {
      hostname: app.hostname,
      port: app.port,
      path: request.url,
      method: request.method,
      // As any reverse proxy in front of an app: the app sees the public host it was asked on
      // (Remix refuses an action whose Origin does not match it).
      headers: {
        ...request.headers,
        host: app.host,
        "x-forwarded-host": request.headers.host,
        "x-forwarded-proto": "http",
        "accept-encoding": "identity",
      },
    },
    (appResponse) => {
      const isHtml = String(appResponse.headers["content-type"] ?? "").includes("text/html");
      if (!isHtml) {
        response.writeHead(appResponse.statusCode ?? 502, appResponse.headers);
        return void appResponse.pipe(response);
      }
      const chunks: Buffer[] = [];
      appResponse.on("data", (chunk: Buffer) => chunks.push(chunk));
      appResponse.on("end", () => {
        const html = Buffer.concat(chunks)
          .toString("utf8")
          .replaceAll(APP_BRIDGE_CDN, "/__admin/app-bridge.js");
        const headers = { ...appResponse.headers };
        delete headers["content-length"];
        // The app allows framing only by the shop's admin (frame-ancestors); this page stands in for it.
        delete headers["content-security-policy"];
        response.writeHead(appResponse.statusCode ?? 502, headers);
        response.end(html);
      });
    },
  );
  upstream.on("error", (error) => {
    response.writeHead(502, { "Content-Type": "text/plain" });
    response.end(`The app is not answering: ${error.message}`);
  });
  request.pipe(upstream);
}
