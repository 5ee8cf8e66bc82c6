// Top bar behaviour after render: dismissal (remembered for the session), for free-shipping bars
// the remaining amount after a cart change, and the custom events the app's web pixel counts
// (extensions/persegment-pixel): the bar shown (once per bar and page view), clicked, dismissed.
// The events carry the bar's id only (a click also a random id of its own). Nothing runs at page
// load beyond wiring.
(() => {
  const DISMISSED = "persegment:dismissed";
  // Clicks noted for the pixel's next page, in case this one ends first (see the pixel).
  const CLICKS = "persegment:bar-clicks";
  const shownOnThisPage = new Set();

  /** Shopify's customer events bus; absent outside a storefront (e.g. the theme editor's preview). */
  const analytics = () => window.Shopify?.analytics;
  const publish = (name, barId, more) => analytics()?.publish?.(name, { barId, ...more });
  const CART_WRITE = /\/cart\/(add|change|update|clear)(\.js)?(\?|$)/;
  const CART_EVENTS = ["cart:updated", "cart:refresh", "cart:change"];

  class PersegmentBar extends HTMLElement {
    connectedCallback() {
      this.querySelector("[data-persegment-dismiss]").addEventListener("click", () =>
        this.dismiss(),
      );
      this.querySelector(".persegment-bar__link")?.addEventListener("click", () => this.clicked());
      // Only a bar the shopper can see counts: not one dismissed earlier in the session, nor the
      // embed's copy while the header block shows the bar (top-bar.css hides it).
      if (!shownOnThisPage.has(this.dataset.barId) && this.getClientRects().length > 0) {
        shownOnThisPage.add(this.dataset.barId);
        publish("persegment:bar_impression", this.dataset.barId);
      }
      if (!this.dataset.threshold) return;
      this.refresh = this.refresh.bind(this);
      this.observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((entry) => CART_WRITE.test(entry.name))) this.refresh();
      });
      this.observer.observe({ type: "resource" });
      for (const name of CART_EVENTS) document.addEventListener(name, this.refresh);
    }

    disconnectedCallback() {
      this.observer?.disconnect();
      for (const name of CART_EVENTS) document.removeEventListener(name, this.refresh);
    }

    clicked() {
      const click = { barId: this.dataset.barId, clickId: Math.random().toString(36).slice(2) };
      try {
        const noted = JSON.parse(sessionStorage.getItem(CLICKS) || "[]");
        if (analytics()?.publish && noted.length < 20)
          sessionStorage.setItem(CLICKS, JSON.stringify([...noted, click]));
      } catch {
        // Storage blocked: the event alone carries the click.
      }
      publish("persegment:bar_click", click.barId, { clickId: click.clickId });
    }

    dismiss() {
      this.hidden = true;
      publish("persegment:bar_dismiss", this.dataset.barId);
      try {
        sessionStorage.setItem(
          DISMISSED,
          `${sessionStorage.getItem(DISMISSED) || ""} ${this.dataset.barId}`,
        );
      } catch {
        // Storage blocked (private mode): the bar stays hidden on this page only.
      }
    }

    async refresh() {
      const root = window.Shopify?.routes?.root || "/";
      const cart = await (
        await fetch(`${root}cart.js`, { headers: { Accept: "application/json" } })
      ).json();
      if (cart.currency !== this.dataset.currency) return;
      const threshold = Number(this.dataset.threshold);
      const remaining = threshold - cart.total_price;
      // The message is replaced by an updated copy rather than edited in place: text that moves
      // inside the bar would count as a layout shift, new content does not. Its live-region
      // parent stays, so screen readers announce the new message.
      const text = this.querySelector(".persegment-bar__text");
      const next = text.cloneNode(true);
      next.querySelector("[data-persegment-progress]").hidden = remaining <= 0;
      next.querySelector("[data-persegment-reached]").hidden = remaining > 0;
      next.querySelector("[data-persegment-amount]").textContent = new Intl.NumberFormat(
        document.documentElement.lang || undefined,
        { style: "currency", currency: cart.currency },
      ).format(Math.max(remaining, 0) / 100);
      text.replaceWith(next);
      this.querySelector("[data-persegment-fill]").style.setProperty(
        "--persegment-progress",
        Math.min(100, Math.floor((cart.total_price * 100) / threshold)),
      );
    }
  }

  if (!customElements.get("persegment-bar")) customElements.define("persegment-bar", PersegmentBar);
})();
