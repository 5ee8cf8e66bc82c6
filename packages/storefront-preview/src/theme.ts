// A theme shaped like Shopify's Dawn, written for the preview (no Dawn code): what matters is the
// structure the extension has to live in. <head> with the theme's CSS, then content_for_header
// (the extension's assets) and the head app embeds; <body> with a skip link, the cart drawer, the
// header group (app sections, the theme's announcement bar, a sticky header with logo, menu and
// cart icon), <main>, the footer group, then the body app embeds. Like Dawn, the root font size is
// 62.5 %, so rem-sized app CSS shrinks here as it would in a real store; the header sticks to the
// top of the window ("always" sticky) and the cart drawer is a fixed overlay (z-index 1000).

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface DrawerLine {
  title: string;
  quantity: number;
  price: string;
  imageUrl: string | null;
}

export interface ThemePage {
  lang: string;
  title: string;
  shopName: string;
  /** Shopify's content_for_header: here, the app blocks' and embeds' asset tags. */
  contentForHeader: string;
  /** App embeds with target "head" (Shopify puts them at the end of <head>). */
  headEmbeds: string;
  /** App blocks added to the header group, each already wrapped in its app section. */
  headerGroupApps: string[];
  main: string;
  cart: { itemCount: number; lines: DrawerLine[]; total: string };
  /** On the cart page the cart icon links to /cart instead of opening the drawer (as in Dawn). */
  cartPage: boolean;
  footerNote: string;
  /** App embeds with target "body" (Shopify puts them at the end of <body>). */
  bodyEmbeds: string;
}

const MENU = ["Home", "Catalog", "New arrivals", "Sale", "Journal", "Contact"];

const ICONS = {
  menu: '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20"><path d="M2 5h16M2 10h16M2 15h16" stroke="currentColor" stroke-width="1.5"/></svg>',
  search:
    '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="m12.5 12.5 5 5" stroke="currentColor" stroke-width="1.5"/></svg>',
  account:
    '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20"><circle cx="10" cy="6.5" r="3.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M3 18c.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
  cart: '<svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 22 22"><path d="M4 7h14l-1 12H5L4 7Z" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 9V6a3 3 0 0 1 6 0v3" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
  close:
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16"><path d="m2 2 12 12M14 2 2 14" stroke="currentColor" stroke-width="1.5"/></svg>',
};

const THEME_CSS = `
  *, *::before, *::after { box-sizing: inherit; }
  html { box-sizing: border-box; font-size: 62.5%; height: 100%; }
  body { margin: 0; min-height: 100%; font-family: Assistant, system-ui, sans-serif; font-size: 1.5rem;
    line-height: 1.8; letter-spacing: 0.06rem; color: rgb(18 18 18 / 75%); background: #fff; }
  body.overflow-hidden { overflow: hidden; }
  h1, h2, .h2 { color: #121212; font-weight: 400; letter-spacing: 0.06rem; line-height: 1.3; }
  h1 { font-size: 3rem; margin: 0 0 1rem; } h2 { font-size: 2rem; }
  a { color: inherit; }
  .page-width { max-width: 120rem; margin: 0 auto; padding: 0 1.5rem; }
  .visually-hidden { position: absolute !important; overflow: hidden; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; clip: rect(0 0 0 0); word-wrap: normal !important; }
  .skip-to-content-link:focus { z-index: 9999; position: inherit; overflow: auto; width: auto; height: auto; clip: auto; padding: 1rem 2rem; }

  /* Header group: the theme's announcement bar, then the header, sticky to the window's top. */
  .utility-bar { background: #121212; color: #fff; }
  .announcement-bar__message { margin: 0; padding: 1rem 0; min-height: 3.8rem; text-align: center; font-size: 1.3rem; letter-spacing: 0.1rem; line-height: 1.4; }
  .section-header.shopify-section-group-header-group { z-index: 3; }
  .shopify-section-header-sticky { position: sticky; top: 0; }
  .header-wrapper { position: relative; display: block; background: #fff; border-bottom: 0.1rem solid rgb(18 18 18 / 8%); }
  .header { display: grid; grid-template-areas: "left-icons heading icons"; grid-template-columns: 1fr 2fr 1fr; align-items: center; padding-top: 1rem; padding-bottom: 1rem; }
  .header__heading { grid-area: heading; justify-self: center; margin: 0; font-size: 2rem; line-height: 1.2; }
  .header__heading-link { display: inline-block; padding: 0.75rem; color: #121212; text-decoration: none; white-space: nowrap; }
  .header__inline-menu { display: none; grid-area: navigation; }
  .header__icons { display: flex; grid-area: icons; justify-self: end; }
  .header__icon { position: relative; display: flex; align-items: center; justify-content: center; width: 4.4rem; height: 4.4rem; color: #121212; background: none; border: 0; cursor: pointer; }
  .header__icon--account { display: none; }
  header-drawer { grid-area: left-icons; justify-self: start; margin-left: -1.2rem; }
  header-drawer summary { list-style: none; } header-drawer summary::-webkit-details-marker { display: none; }
  .menu-drawer { position: absolute; top: 100%; left: 0; width: 100%; padding: 1rem 0; background: #fff; border-bottom: 0.1rem solid rgb(18 18 18 / 8%); }
  .menu-drawer a, .list-menu a { display: block; padding: 1.1rem 3.2rem; text-decoration: none; color: #121212; font-size: 1.4rem; }
  .list-menu { display: flex; flex-wrap: wrap; margin: 0; padding: 0; list-style: none; }
  .list-menu a { padding: 1.2rem; }
  .menu-drawer ul { margin: 0; padding: 0; list-style: none; }
  .cart-count-bubble[hidden] { display: none; }
  .cart-count-bubble { position: absolute; bottom: 0.8rem; left: 2.2rem; display: flex; align-items: center; justify-content: center; width: 1.7rem; height: 1.7rem; border-radius: 100%; background: #121212; color: #fff; font-size: 0.9rem; line-height: 1; }
  @media (min-width: 750px) { .page-width { padding: 0 5rem; } }
  @media (min-width: 990px) {
    .header { grid-template-areas: "heading navigation icons"; grid-template-columns: auto 1fr auto; column-gap: 2rem; padding-top: 2rem; padding-bottom: 2rem; }
    .header__heading { justify-self: start; }
    .header__inline-menu { display: block; }
    .header__icon--account { display: flex; }
    header-drawer { display: none; }
  }

  /* Cart drawer: a fixed overlay above everything, sliding in from the right. */
  .drawer { position: fixed; z-index: 1000; inset: 0; display: flex; justify-content: flex-end; background: rgb(18 18 18 / 50%); visibility: hidden; }
  .drawer.active { visibility: visible; }
  .drawer__overlay { flex: 1; }
  .drawer__inner { display: flex; flex-direction: column; width: 40rem; max-width: calc(100vw - 3rem); height: 100%; padding: 0 1.5rem; background: #fff; transform: translateX(100%); transition: transform 0.2s ease; }
  .drawer.active .drawer__inner { transform: translateX(0); }
  .drawer__header { position: relative; display: flex; align-items: center; justify-content: space-between; padding: 1.5rem 0; }
  .drawer__heading { margin: 0; font-size: 2rem; }
  .drawer__close { display: flex; align-items: center; justify-content: center; min-width: 4.4rem; min-height: 4.4rem; margin-right: -1rem; padding: 0; color: #121212; background: none; border: 0; cursor: pointer; }
  .drawer__lines { flex: 1; overflow: auto; margin: 0; padding: 0; list-style: none; }
  .drawer__line { display: grid; grid-template-columns: 6rem 1fr auto; gap: 1.5rem; align-items: center; padding: 1rem 0; border-top: 0.1rem solid rgb(18 18 18 / 8%); }
  .drawer__line img { display: block; width: 6rem; height: 6rem; }
  .drawer__footer { padding: 1.5rem 0 3rem; border-top: 0.1rem solid rgb(18 18 18 / 8%); }
  .drawer__checkout { display: block; width: 100%; padding: 1.4rem; font: inherit; color: #fff; background: #121212; border: 0; }

  /* Templates */
  .product { display: grid; gap: 3rem; padding-top: 3rem; padding-bottom: 3rem; }
  .product__media img { display: block; width: 100%; height: auto; aspect-ratio: 1; }
  @media (min-width: 750px) { .product { grid-template-columns: 1fr 1fr; } }
  .theme-price { font-size: 1.8rem; color: #121212; }
  .theme-add { padding: 1.4rem 3rem; font: inherit; background: #121212; color: #fff; border: 0; cursor: pointer; }
  .product__description { max-width: 60rem; }
  .cart { padding-top: 3rem; padding-bottom: 3rem; }
  .footer { margin-top: 5rem; padding: 5rem 0; background: #f3f3f3; border-top: 0.1rem solid rgb(18 18 18 / 8%); }
  .footer__blocks { display: grid; gap: 3rem; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
  .footer ul { margin: 0; padding: 0; list-style: none; }
`;

// Theme code, not the extension's: an AJAX add to cart that asks /cart/add.js for the drawer's and
// the cart icon's section HTML (Shopify's section rendering, as Dawn does), then opens the drawer.
const THEME_JS = `
  (() => {
    const drawer = document.querySelector("cart-drawer");
    const open = () => {
      drawer.classList.add("active");
      document.body.classList.add("overflow-hidden");
      drawer.querySelector(".drawer__close").focus();
    };
    const close = () => {
      drawer.classList.remove("active");
      document.body.classList.remove("overflow-hidden");
    };
    document.querySelector("#cart-icon-bubble").addEventListener("click", (event) => {
      if (document.body.dataset.cartPage !== undefined) return;
      event.preventDefault();
      open();
    });
    drawer.addEventListener("click", (event) => {
      if (event.target.closest(".drawer__close") || event.target.classList.contains("drawer__overlay")) close();
    });
    document.addEventListener("keyup", (event) => event.key === "Escape" && close());
    document.querySelectorAll(".theme-add").forEach((button) =>
      button.addEventListener("click", async () => {
        const response = await fetch("/cart/add.js", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({
            items: [{ id: button.dataset.productId, quantity: 1 }],
            sections: "cart-drawer,cart-icon-bubble",
          }),
        });
        const { sections } = await response.json();
        document.querySelector("#CartDrawer-Contents").innerHTML = sections["cart-drawer"];
        document.querySelector("#cart-icon-bubble .cart-count-bubble").outerHTML = sections["cart-icon-bubble"];
        if (document.body.dataset.cartPage === undefined) open();
      }),
    );
  })();
`;

/** The cart icon's count bubble (a section of its own, re-rendered after an add). */
export function cartBubbleHtml(itemCount: number) {
  return `<span class="cart-count-bubble"${itemCount ? "" : " hidden"}><span aria-hidden="true">${itemCount}</span><span class="visually-hidden">${itemCount} items</span></span>`;
}

/** The cart drawer's contents (re-rendered after an add). */
export function cartDrawerHtml(cart: ThemePage["cart"]) {
  if (!cart.lines.length) return `<p class="drawer__empty">Your cart is empty</p>`;
  return `<ul class="drawer__lines">${cart.lines
    .map(
      (line) =>
        `<li class="drawer__line">${line.imageUrl ? `<img src="${escapeHtml(line.imageUrl)}" alt="" width="60" height="60">` : "<span></span>"}<span>${escapeHtml(line.title)} × ${line.quantity}</span><span>${escapeHtml(line.price)}</span></li>`,
    )
    .join("")}</ul>
    <div class="drawer__footer"><p>Estimated total <strong>${escapeHtml(cart.total)}</strong></p><button type="button" class="drawer__checkout">Check out</button></div>`;
}

/** An app block the merchant added to the header group, in the section Shopify wraps it in. */
export function headerGroupAppSection(sectionId: string, blockId: string, blockHtml: string) {
  return `<div id="shopify-section-sections--1742__${sectionId}" class="shopify-section shopify-section-group-header-group"><div id="shopify-block-${blockId}" class="shopify-app-block">${blockHtml}</div></div>`;
}

export function themeLayout(page: ThemePage) {
  const shopName = escapeHtml(page.shopName);
  const menuLinks = MENU.map((item) => `<li><a href="/collections/all">${item}</a></li>`).join("");
  return `<!doctype html>
<html lang="${escapeHtml(page.lang)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(page.title)}</title>
    <style>${THEME_CSS}</style>
    ${page.contentForHeader}
    ${page.headEmbeds}
  </head>
  <body${page.cartPage ? " data-cart-page" : ""}>
    <a class="skip-to-content-link visually-hidden" href="#MainContent">Skip to content</a>
    <cart-drawer class="drawer" id="CartDrawer">
      <div class="drawer__overlay"></div>
      <div class="drawer__inner" role="dialog" aria-modal="true" aria-label="Your cart" tabindex="-1">
        <div class="drawer__header">
          <h2 class="drawer__heading">Your cart</h2>
          <button class="drawer__close" type="button" aria-label="Close">${ICONS.close}</button>
        </div>
        <div id="CartDrawer-Contents">${cartDrawerHtml(page.cart)}</div>
      </div>
    </cart-drawer>
    ${page.headerGroupApps.join("\n    ")}
    <div id="shopify-section-sections--1742__announcement-bar" class="shopify-section shopify-section-group-header-group announcement-bar-section">
      <div class="utility-bar"><div class="page-width"><div class="announcement-bar" role="region" aria-label="Announcement">
        <p class="announcement-bar__message">Free returns within 30 days</p>
      </div></div></div>
    </div>
    <div id="shopify-section-sections--1742__header" class="shopify-section shopify-section-group-header-group section-header shopify-section-header-sticky">
      <sticky-header data-sticky-type="always" class="header-wrapper">
        <header class="header page-width">
          <header-drawer>
            <details id="Details-menu-drawer-container">
              <summary class="header__icon header__icon--menu" aria-label="Menu">${ICONS.menu}</summary>
              <nav class="menu-drawer" aria-label="Menu"><ul>${menuLinks}</ul></nav>
            </details>
          </header-drawer>
          <h1 class="header__heading"><a href="/" class="header__heading-link">${shopName}</a></h1>
          <nav class="header__inline-menu" aria-label="Main"><ul class="list-menu">${menuLinks}</ul></nav>
          <div class="header__icons">
            <button type="button" class="header__icon header__icon--search" aria-label="Search">${ICONS.search}</button>
            <a href="/account" class="header__icon header__icon--account" aria-label="Log in">${ICONS.account}</a>
            <a href="/cart" class="header__icon header__icon--cart" id="cart-icon-bubble" aria-label="Cart">${ICONS.cart}${cartBubbleHtml(page.cart.itemCount)}</a>
          </div>
        </header>
      </sticky-header>
    </div>
    <main id="MainContent" class="content-for-layout" role="main" tabindex="-1">
      ${page.main}
    </main>
    <footer id="shopify-section-sections--1742__footer" class="shopify-section shopify-section-group-footer-group footer">
      <div class="page-width footer__blocks">
        <div><h2 class="h2">${shopName}</h2><p>Gear for the long way round.</p></div>
        <div><h2 class="h2">Shop</h2><ul>${menuLinks}</ul></div>
        <div><h2 class="h2">Preview</h2><p>${escapeHtml(page.footerNote)}</p></div>
      </div>
    </footer>
    <script>${THEME_JS}</script>
    ${page.bodyEmbeds}
  </body>
</html>
`;
}
