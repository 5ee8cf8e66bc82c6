// Dev-only storefront preview (never imported by app/): the extension's Liquid rendered for
// personas from published data. `npm run demo` serves it with startPreviewServer.
export { createEngine, EXTENSION_DIR, formatMoney } from "./liquid";
export {
  BAR_PLACEMENTS,
  cartJustBelowThreshold,
  featuredProductId,
  PERSONAS,
  personaById,
  personaCustomerId,
  renderPersonaPage,
  topBarRenderer,
  type BarPlacement,
  type CartLine,
  type Persona,
  type PreviewOrder,
  type PreviewProduct,
  type PublishedStorefront,
  type RenderOptions,
} from "./render";
export { startPreviewServer, type PreviewServerOptions } from "./server";
export { sampleStorefront, SAMPLE_BARS } from "./sample";
export { storefrontFromStandIn } from "./from-stand-in";
