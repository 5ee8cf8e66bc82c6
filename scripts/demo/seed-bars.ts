// Demo only: the top bars a merchant would set up in the Storefront page, saved through the
// app's own validation and storage. Usage: tsx scripts/demo/seed-bars.ts <shop>
import type { BarDefinition } from "~/domain/storefront/bars";
import { validateBar } from "~/domain/storefront/bars";
import { saveBar } from "~/models/bars.server";
import { listSegments } from "~/models/segments.server";

const base = {
  enabled: true,
  defaultLocale: "en",
  reachedMessages: {},
  link: "",
  schedule: { startsAt: null, endsAt: null },
  thresholds: [],
} satisfies Partial<BarDefinition>;

const DEMO_BARS: BarDefinition[] = [
  {
    ...base,
    name: "Champions thank-you",
    priority: 50,
    kind: "message",
    messages: {
      en: "Thanks for being one of our best customers: early access starts now",
      de: "Danke, dass Sie zu unseren Besten gehören: früher Zugang ab jetzt",
    },
    link: "/collections/all",
    colors: { background: "#5b21b6", text: "#ffffff" },
    audience: { segments: ["champions"], countries: [], visitors: "logged-in" },
  },
  {
    ...base,
    name: "We miss you",
    priority: 40,
    kind: "message",
    messages: {
      en: "We miss you! Take 15% off with code COMEBACK",
      de: "Wir vermissen Sie! 15 % Rabatt mit COMEBACK",
    },
    colors: { background: "#fef3c7", text: "#78350f" },
    audience: { segments: ["lapsed-90"], countries: [], visitors: "logged-in" },
  },
  {
    ...base,
    name: "Free shipping",
    priority: 20,
    kind: "free-shipping",
    messages: {
      en: "Only {amount} to go for free shipping",
      de: "Nur noch {amount} bis zum kostenlosen Versand",
    },
    reachedMessages: {
      en: "You've unlocked free shipping!",
      de: "Kostenloser Versand ist freigeschaltet!",
    },
    colors: { background: "#065f46", text: "#ffffff" },
    audience: { segments: [], countries: ["US", "DE"], visitors: "everyone" },
    thresholds: [
      { countries: ["US"], currency: "USD", amountCents: 5000 },
      { countries: ["DE"], currency: "EUR", amountCents: 4500 },
    ],
  },
];

const shop = process.argv[2];
if (!shop) throw new Error("usage: seed-bars.ts <shop>");
const segments = await listSegments(shop);
for (const definition of DEMO_BARS) {
  const result = validateBar(definition, segments);
  if (!result.ok)
    throw new Error(`demo bar "${definition.name}": ${JSON.stringify(result.errors)}`);
  await saveBar(shop, result.value);
  console.log(`bar saved: ${definition.name}`);
}
