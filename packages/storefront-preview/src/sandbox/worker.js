// The strict sandbox's side of the preview's web pixels manager, in a dedicated worker as on a
// Shopify storefront: the pixel registers with `shopify.extend("WebPixel::Render", …)` (what
// @shopify/web-pixels-extension's `register` calls) and gets the standard API: `analytics`
// (events the page publishes), `browser` (cookie and storage calls and sendBeacon carried out in
// the top frame, asynchronously), `settings`, `init` and `customerPrivacy`. The pixel's bundled
// code follows this script.
(() => {
  const EXTENSION_POINT = "WebPixel::Render";
  const subscribers = new Map();
  const calls = new Map();
  let nextCall = 0;
  let extension = null;

  const topFrame = (method, ...args) =>
    new Promise((resolve, reject) => {
      nextCall += 1;
      calls.set(nextCall, { resolve, reject });
      self.postMessage({ type: "call", id: nextCall, method, args });
    });
  const storage = (area) => ({
    getItem: (key) => topFrame(`${area}.getItem`, key),
    setItem: (key, value) => topFrame(`${area}.setItem`, key, value),
    removeItem: (key) => topFrame(`${area}.removeItem`, key),
    key: (index) => topFrame(`${area}.key`, index),
    length: () => topFrame(`${area}.length`),
    clear: () => topFrame(`${area}.clear`),
  });
  const browser = {
    cookie: {
      get: (name) => topFrame("cookie.get", name),
      set: (cookie) => topFrame("cookie.set", cookie),
    },
    localStorage: storage("localStorage"),
    sessionStorage: storage("sessionStorage"),
    sendBeacon: (url, body) => topFrame("sendBeacon", url, body),
  };

  self.shopify = {
    extend(point, callback) {
      if (point !== EXTENSION_POINT) throw new Error(`unknown extension point ${point}`);
      extension = callback;
    },
  };

  const deliver = (name, event) => {
    for (const callback of subscribers.get(name) ?? []) callback(event);
  };

  self.addEventListener("message", ({ data }) => {
    if (data.type === "init") {
      if (!extension) throw new Error("the pixel did not register");
      extension({
        settings: data.settings,
        init: data.init,
        browser,
        analytics: {
          subscribe(name, callback) {
            if (!subscribers.has(name)) subscribers.set(name, new Set());
            subscribers.get(name).add(callback);
            return () => subscribers.get(name).delete(callback);
          },
        },
        customerPrivacy: { subscribe: () => () => true },
        _pixelInfo: data.pixelInfo,
      });
    } else if (data.type === "event") {
      deliver(data.event.name, data.event);
      deliver("all_custom_events", data.event);
      deliver("all_events", data.event);
    } else if (data.type === "result") {
      const call = calls.get(data.id);
      calls.delete(data.id);
      if (data.error) call?.reject(new Error(data.error));
      else call?.resolve(data.value);
    }
  });
})();
