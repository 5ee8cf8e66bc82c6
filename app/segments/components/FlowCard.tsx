import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, List, Text } from "@shopify/polaris";
import { useMemo } from "react";
import { ResultToast } from "~/components/Feedback";
import { formatShopTime } from "~/shops/format";

export interface FlowStatus {
  /** When Flow was turned on for the segment (null: off). */
  enabledAt: string | null;
  /** Moves recorded and not yet sent. */
  waiting: number;
  /** Flow's reason for refusing the last call it refused. */
  error: string | null;
}

/**
 * Shopify Flow for one segment: a switch, what a merchant does in Flow next, and what waits.
 * Moves are sent by the app within a minute; turning Flow on sends none of today's members.
 */
export function FlowCard({
  segment,
  flow,
  timeZone,
}: {
  segment: { name: string; handle: string };
  flow: FlowStatus;
  timeZone: string;
}) {
  const fetcher = useFetcher<{ ok: boolean; message?: string; error?: string }>();
  const on = flow.enabledAt !== null;
  const busy = fetcher.state !== "idle";
  // One object per answer: the toast shows each answer once.
  const result = useMemo(
    () =>
      fetcher.data
        ? { message: fetcher.data.message ?? fetcher.data.error ?? "", error: !fetcher.data.ok }
        : null,
    [fetcher.data],
  );
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Shopify Flow
          </Text>
          <Badge tone={on ? "success" : undefined}>{on ? "On" : "Off"}</Badge>
        </InlineStack>
        <Text as="p">
          Start a workflow when a customer enters or leaves {segment.name}: send a win-back email,
          add a note, alert your team.
        </Text>
        {on ? (
          <>
            <Text as="p" tone="subdued">
              On since {formatShopTime(flow.enabledAt!, timeZone, true)}.{" "}
              {flow.waiting > 0
                ? `${flow.waiting.toLocaleString("en-US")} moves are on their way to Flow.`
                : "Every move so far has reached Flow."}
            </Text>
            <List type="number">
              <List.Item>In Shopify Flow, create a workflow.</List.Item>
              <List.Item>
                Pick the trigger <b>Customer entered segment</b> (or <b>Customer left segment</b>)
                from Persegment.
              </List.Item>
              <List.Item>
                Add the condition <b>Segment handle</b> is <code>{segment.handle}</code>.
              </List.Item>
            </List>
          </>
        ) : (
          <Text as="p" tone="subdued">
            Only moves after you turn this on are sent; today&apos;s members start no workflow.
          </Text>
        )}
        {flow.error && (
          <Banner tone="warning" title="Shopify Flow refused a trigger">
            <p>{flow.error}</p>
          </Banner>
        )}
        <InlineStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="flow" />
            <input type="hidden" name="on" value={on ? "false" : "true"} />
            <Button submit loading={busy} variant={on ? undefined : "primary"}>
              {on ? "Stop sending to Flow" : "Send to Flow"}
            </Button>
          </fetcher.Form>
        </InlineStack>
      </BlockStack>
      <ResultToast result={result} />
    </Card>
  );
}
