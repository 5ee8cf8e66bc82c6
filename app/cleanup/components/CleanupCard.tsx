import { Form, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, List, Modal, Text } from "@shopify/polaris";
import { useState } from "react";
import type { CleanupSummary } from "~/domain/cleanup/plan";

interface CleanupResult {
  intent: "cleanup-preview" | "cleanup-run";
  error?: string;
  report?: {
    dryRun: boolean;
    planned: CleanupSummary;
    removed: { tags: number; shopifySegments: number; metafields: number };
    tagFailures: unknown[];
    segmentFailures: { name: string; message: string }[];
  };
}

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function PlannedList({ planned }: { planned: CleanupSummary }) {
  if (planned.nothingToRemove)
    return <Text as="p">Nothing to remove: Persegment has nothing left in your store.</Text>;
  const { tags, shopifySegments, metafields } = planned;
  return (
    <List>
      <List.Item>
        {count(tags.removals, "tag")} on {count(tags.customers, "customer")}
        {tags.byTag.length > 0 &&
          ` (${tags.byTag.map((t) => `${t.tag}: ${t.customers}`).join(", ")})`}
      </List.Item>
      <List.Item>
        {count(shopifySegments.count, "Shopify segment")}
        {shopifySegments.sample.length > 0 &&
          ` (${shopifySegments.sample.map((s) => s.name).join(", ")})`}
      </List.Item>
      <List.Item>
        {count(metafields.shop + metafields.products, "metafield")} ({metafields.shop} on the store,{" "}
        {metafields.products} on products)
      </List.Item>
    </List>
  );
}

/** Dry run first; the destructive run only after it, behind a confirmation. */
export function CleanupCard({ result, busy }: { result: CleanupResult | null; busy: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit();
  const preview = result?.intent === "cleanup-preview" ? result.report : undefined;
  const run = result?.intent === "cleanup-run" ? result.report : undefined;
  const failures = run ? run.tagFailures.length + run.segmentFailures.length : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Remove everything Persegment wrote to your store
        </Text>
        <Text as="p" tone="subdued">
          Before uninstalling: removes the tags Persegment added to customers (never your own tags),
          the Shopify segments it created and its storefront metafields. Tagging is turned off for
          every segment and the storefront stops publishing until you publish it again.
        </Text>
        {result?.error && <Banner tone="critical" title={result.error} />}
        {preview && (
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              This would remove:
            </Text>
            <PlannedList planned={preview.planned} />
          </BlockStack>
        )}
        {run && (
          <Banner
            tone={failures ? "warning" : "success"}
            title={`Removed ${count(run.removed.tags, "tag")}, ${count(run.removed.shopifySegments, "Shopify segment")} and ${count(run.removed.metafields, "metafield")}.${failures ? ` ${failures} could not be removed; run it again to retry.` : ""}`}
          />
        )}
        <InlineStack gap="200">
          <Form method="post">
            <input type="hidden" name="intent" value="cleanup-preview" />
            <Button submit loading={busy}>
              Preview what would be removed
            </Button>
          </Form>
          <Button
            tone="critical"
            disabled={!preview || preview.planned.nothingToRemove}
            onClick={() => setConfirming(true)}
          >
            Remove everything…
          </Button>
        </InlineStack>
      </BlockStack>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Remove everything Persegment wrote to your store?"
        primaryAction={{
          content: "Remove everything",
          destructive: true,
          loading: busy,
          onAction: () => {
            setConfirming(false);
            submit({ intent: "cleanup-run" }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          {preview && <PlannedList planned={preview.planned} />}
          <Text as="p">This cannot be undone. Your own tags and segments are not touched.</Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
