// Demo only: the top bars a merchant would set up in the Storefront page (the preview's sample
// bars), saved through the app's own validation and storage. Usage: tsx scripts/demo/seed-bars.ts <shop>
import { validateBar, withPlacedHoldout } from "~/domain/storefront/bars";
import { listSegments } from "~/models/segments.server";
import { listBars, saveBar } from "~/models/bars.server";
import { SAMPLE_BARS } from "@persegment/storefront-preview";

// The sample's champions message carries markup on purpose (the escaping test); a demo shows a plain one.
const CHAMPIONS_MESSAGES = {
  en: "Thanks for being one of our best customers: early access starts now",
  de: "Danke, dass Sie zu unseren Besten gehören: früher Zugang ab jetzt",
};

// The bars went live with their holdouts four weeks ago, so their results pages have a store's
// worth of orders to compare (the generated history) rather than the minutes since the demo began.
const LIVE_SINCE = new Date(Date.now() - 28 * 86_400_000);

const shop = process.argv[2];
if (!shop) throw new Error("usage: seed-bars.ts <shop>");
const segments = await listSegments(shop);
for (const sample of SAMPLE_BARS) {
  const bar = sample.audience.segments.includes("champions")
    ? { ...sample, messages: CHAMPIONS_MESSAGES }
    : sample;
  const valid = validateBar(bar, segments);
  const result = valid.ok
    ? withPlacedHoldout(valid.value, null, await listBars(shop), LIVE_SINCE)
    : valid;
  if (!result.ok) throw new Error(`demo bar "${bar.name}": ${JSON.stringify(result.errors)}`);
  await saveBar(shop, result.value);
  console.log(`bar saved: ${bar.name}`);
}
