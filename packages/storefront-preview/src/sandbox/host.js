// The page's side of the preview's web pixels manager (Shopify puts its own in content_for_header):
// `Shopify.analytics.publish(name, customData)` hands custom events to the app pixel's sandbox
// worker, and the worker's browser calls are carried out here, in the top frame. The worker loads
// from the storefront (as Shopify serves pixels from its own CDN), never from the app.
// CONFIG is replaced by the pixel's settings and the shop when the tag is rendered (web-pixel.ts).
/* global CONFIG */
(function (config) {
  var worker = new Worker(config.src, { name: config.handle });
  var served = 0;
  var topFrame = {
    sendBeacon: function (url, body) {
      return navigator.sendBeacon(url, body);
    },
    "cookie.get": function (name) {
      var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
      return match ? decodeURIComponent(match[1]) : "";
    },
    "cookie.set": function (cookie) {
      document.cookie = cookie;
      return cookie;
    },
  };
  ["localStorage", "sessionStorage"].forEach(function (area) {
    ["getItem", "setItem", "removeItem", "key", "clear"].forEach(function (method) {
      topFrame[area + "." + method] = function () {
        return window[area][method].apply(window[area], arguments);
      };
    });
    topFrame[area + ".length"] = function () {
      return window[area].length;
    };
  });
  worker.addEventListener("message", function (message) {
    var call = message.data;
    if (call.type !== "call") return;
    var reply = { type: "result", id: call.id };
    try {
      if (!topFrame[call.method]) throw new Error("no browser method " + call.method);
      reply.value = topFrame[call.method].apply(null, call.args);
    } catch (error) {
      reply.error = String(error);
    }
    worker.postMessage(reply);
  });
  worker.postMessage({
    type: "init",
    settings: config.settings,
    pixelInfo: { type: "APP", extensionId: config.handle },
    init: {
      context: {
        document: {
          location: { href: location.href },
          referrer: document.referrer,
          title: document.title,
        },
        navigator: { language: navigator.language, userAgent: navigator.userAgent },
      },
      data: {
        customer: null,
        cart: null,
        shop: {
          name: config.shopName,
          myshopifyDomain: config.shop,
          storefrontUrl: location.origin,
        },
      },
    },
  });
  window.Shopify = window.Shopify || {};
  window.Shopify.analytics = window.Shopify.analytics || {};
  window.Shopify.analytics.publish = function (name, customData) {
    served += 1;
    worker.postMessage({
      type: "event",
      event: {
        id: "preview-" + Date.now() + "-" + served,
        name: name,
        timestamp: new Date().toISOString(),
        context: { document: { location: { href: location.href } } },
        customData: customData || null,
      },
    });
  };
})(CONFIG);
