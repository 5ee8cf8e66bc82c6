import { Banner } from "@shopify/polaris";

/** The segment list's word on the email engagement groups when the shop has none, and why. */
export function EngagementNotice({ reason }: { reason: string }) {
  return (
    <Banner tone="info" title="Email engagement groups">
      <p>{reason}</p>
    </Banner>
  );
}
