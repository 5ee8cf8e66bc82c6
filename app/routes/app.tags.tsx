import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { useMemo } from "react";
import { ByWidth } from "~/components/ByWidth";
import { ConfirmButton, ResultToast } from "~/components/Feedback";
import { reportingFailures } from "~/errors/report.server";
import { CustomerCell, NamesUnavailable } from "~/segments/components/CustomerCell";
import { pipeline } from "~/pipeline.server";
import { authenticate } from "~/shopify.server";
import { formatShopTime, relativeTime } from "~/shops/format";
import { gatewayForShop } from "~/shops/access.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { applyShopTags, removeAllAppTags } from "~/tags/apply.server";
import { tagsOverview, type SegmentTagRow } from "~/tags/overview.server";
import { setTagging } from "~/tags/setup.server";
import { publishShopifySegment, TagSetupError } from "~/tags/shopify-segments.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [overview, work, profile] = await Promise.all([
    tagsOverview(session.shop),
    pipeline().automaticWork(session.shop, now),
    shopProfile(session.shop),
  ]);
  const writes = work.find((entry) => entry.job === "tags.write")!;
  return {
    ...overview,
    now: now.toISOString(),
    timeZone: profile.timeZone,
    automatic: {
      lastRun: writes.lastRun && {
        at: writes.lastRun.finishedAt.toISOString(),
        failed: writes.lastRun.failed,
      },
      nextCheck: writes.nextCheck.toISOString(),
    },
  };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const segmentId = String(form.get("segmentId") ?? "");
  try {
    switch (intent) {
      case "enable":
      case "disable": {
        const { segment, tag } = await setTagging(shop, segmentId, intent === "enable");
        return {
          ok: true,
          message:
            intent === "enable"
              ? `${segment.name} will be tagged ${tag} on the next write.`
              : `${segment.name} is no longer tagged; its tags are removed on the next write.`,
        };
      }
      case "apply": {
        const report = await applyShopTags(await gatewayForShop(shop), shop);
        const failed = report.failures.length ? `, ${report.failures.length} failed` : "";
        return {
          ok: true,
          message: `Added ${report.adds} and removed ${report.removes} tags for ${report.customers} customers (${report.apiCalls} API calls${failed}).`,
        };
      }
      case "remove-all": {
        const report = await removeAllAppTags(await gatewayForShop(shop), shop);
        return {
          ok: true,
          message: `Tagging is off for every segment; removed ${report.removes} app tags (${report.apiCalls} API calls). Your own tags were not touched.`,
        };
      }
      case "publish": {
        const published = await publishShopifySegment(await gatewayForShop(shop), shop, segmentId);
        return {
          ok: true,
          message: `${published.created ? "Created" : "Already in Shopify:"} "${published.name}" — pick it in Shopify Email.`,
        };
      }
      default:
        return { ok: false, error: `Unknown action "${intent}".` };
    }
  } catch (error) {
    if (error instanceof TagSetupError) return { ok: false, error: error.message };
    throw error;
  }
}

function SegmentAction({
  intent,
  segmentId,
  label,
}: {
  intent: string;
  segmentId: string;
  label: string;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="segmentId" value={segmentId} />
      <Button submit size="slim">
        {label}
      </Button>
    </Form>
  );
}

const count = (value: number) => value.toLocaleString("en-US");

function TaggingSwitch({ segment }: { segment: SegmentTagRow }) {
  return segment.tagEnabled ? (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      <Badge tone="success">On</Badge>
      <SegmentAction intent="disable" segmentId={segment.id} label="Turn off" />
    </InlineStack>
  ) : (
    <SegmentAction intent="enable" segmentId={segment.id} label="Tag customers" />
  );
}

function ShopifySegment({ segment }: { segment: SegmentTagRow }) {
  if (!segment.tagEnabled)
    return (
      <Text as="span" tone="subdued">
        —
      </Text>
    );
  if (segment.shopifySegmentId) return <Badge tone="info">In Shopify</Badge>;
  return <SegmentAction intent="publish" segmentId={segment.id} label="Create Shopify segment" />;
}

/** "120 tagged · next write: +3 −1": applied tags, and what the next write changes. */
function TagCounts({ segment }: { segment: SegmentTagRow }) {
  const { add, remove } = segment.nextWrite;
  const removedByYou = segment.ledger["merchant-removed"] ?? 0;
  return (
    <Text as="span">
      {count(segment.ledger.applied ?? 0)} tagged
      {add || remove ? ` · next write: +${count(add)} −${count(remove)}` : ""}
      {removedByYou ? ` · ${count(removedByYou)} removed by you` : ""}
    </Text>
  );
}

function TagName({ segment }: { segment: SegmentTagRow }) {
  return segment.tagError ? (
    <Text as="span" tone="critical">
      {segment.tagError}
    </Text>
  ) : (
    <Text as="span">{segment.tag}</Text>
  );
}

function SegmentsTable({ segments }: { segments: SegmentTagRow[] }) {
  return (
    <IndexTable
      resourceName={{ singular: "segment", plural: "segments" }}
      itemCount={segments.length}
      selectable={false}
      headings={[
        { title: "Segment and tag" },
        { title: "Members", alignment: "end" },
        { title: "Tag customers" },
        { title: "App tags" },
        { title: "Subscribed", alignment: "end" },
        { title: "Shopify segment" },
      ]}
    >
      {segments.map((segment, index) => (
        <IndexTable.Row id={segment.id} key={segment.id} position={index}>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span" fontWeight="semibold">
                {segment.name}
              </Text>
              <Text as="span" tone="subdued" variant="bodySm">
                <TagName segment={segment} />
              </Text>
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {count(segment.members)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <TaggingSwitch segment={segment} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <TagCounts segment={segment} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {segment.subscribed === null ? "—" : count(segment.subscribed)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <ShopifySegment segment={segment} />
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

/** Phones: one block per segment, nothing wider than the screen. */
function SegmentsList({ segments }: { segments: SegmentTagRow[] }) {
  return (
    <BlockStack>
      {segments.map((segment, index) => (
        <Box key={segment.id} padding="300">
          {index > 0 ? (
            <Box paddingBlockEnd="300">
              <Divider />
            </Box>
          ) : null}
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {segment.name}
              </Text>
              <Text as="span" tone="subdued">
                {count(segment.members)} members
              </Text>
            </InlineStack>
            <Text as="p" tone="subdued">
              <TagName segment={segment} /> · <TagCounts segment={segment} />
              {segment.subscribed === null ? "" : ` · ${count(segment.subscribed)} subscribed`}
            </Text>
            <InlineStack gap="200">
              <TaggingSwitch segment={segment} />
              {segment.tagEnabled ? <ShopifySegment segment={segment} /> : null}
            </InlineStack>
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}

export default function Tags() {
  const data = useLoaderData<typeof loader>();
  const { segments, preview, merchantRemoved, people, tagPrefix, automatic, timeZone } = data;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = (intent: string) =>
    navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  // Success as a toast; a refusal stays on the page as a banner.
  const toast = useMemo(() => (result?.ok ? { message: result.message } : null), [result]);
  const anyTagged = segments.some((segment) => segment.tagEnabled);
  const at = (iso: string) =>
    `${formatShopTime(iso, timeZone)} (${relativeTime(iso, new Date(data.now))})`;
  return (
    <Page
      title="Tags and Shopify Email"
      subtitle={`Tags are written as ${tagPrefix}<segment handle>`}
    >
      <ResultToast result={toast} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && !result.ok ? <Banner tone="critical" title={result.error} /> : null}
            <NamesUnavailable error={data.namesError} />
            <Banner
              tone={automatic.lastRun?.failed ? "warning" : "info"}
              title={
                anyTagged
                  ? "Tags are written to Shopify automatically, every 5 minutes"
                  : "Turn on tagging for a segment: its tags are then written automatically, every 5 minutes"
              }
            >
              <BlockStack gap="100">
                <p>
                  Only customers whose segments changed are written, so a quiet store costs nothing.
                  You do not need to press anything; “Write tags now” only saves the wait.
                </p>
                <p data-testid="tag-schedule">
                  Last write:{" "}
                  {automatic.lastRun
                    ? `${at(automatic.lastRun.at)}${automatic.lastRun.failed ? ", failed; it is retried" : ""}`
                    : "none since the app last started"}
                  {" · "}Next check: {at(automatic.nextCheck)}
                </p>
              </BlockStack>
            </Banner>
            <Card padding="0">
              {segments.length === 0 ? (
                <EmptyState heading="No segments yet" image="">
                  <p>Segments appear here once your store is imported.</p>
                </EmptyState>
              ) : (
                <ByWidth
                  wide={<SegmentsTable segments={segments} />}
                  narrow={<SegmentsList segments={segments} />}
                />
              )}
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Next write
                </Text>
                <Text as="p">
                  {preview.adds} tags to add and {preview.removes} to remove for {preview.customers}{" "}
                  customers. Customers whose segments did not change cost nothing.
                </Text>
                {preview.sample.length > 0 && (
                  <List>
                    {preview.sample.map((change) => (
                      <List.Item key={change.customerId}>
                        <InlineStack gap="200" blockAlign="start" wrap={false}>
                          <CustomerCell id={change.customerId} person={people[change.customerId]} />
                          <Text as="span">
                            {change.add.map((tag) => `+${tag}`).join(" ")}{" "}
                            {change.remove.map((tag) => `−${tag}`).join(" ")}
                          </Text>
                        </InlineStack>
                      </List.Item>
                    ))}
                  </List>
                )}
                {preview.merchantOwned > 0 && (
                  <Text as="p" tone="subdued">
                    {preview.merchantOwned} customers already carry a segment tag the app did not
                    write; it stays yours.
                  </Text>
                )}
                {preview.merchantRemovedKept > 0 && (
                  <Text as="p" tone="subdued">
                    {preview.merchantRemovedKept} app tags you removed by hand are not put back;
                    they return only when the customer enters the segment again.
                  </Text>
                )}
                <InlineStack gap="300">
                  <Form method="post">
                    <input type="hidden" name="intent" value="apply" />
                    <Button submit loading={busy("apply")} disabled={preview.customers === 0}>
                      Write tags now
                    </Button>
                  </Form>
                </InlineStack>
              </BlockStack>
            </Card>
            {merchantRemoved.length > 0 && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    App tags you removed by hand
                  </Text>
                  <Text as="p" tone="subdued">
                    Persegment respects these and re-adds a tag only when the customer enters the
                    segment anew.
                  </Text>
                  <List>
                    {merchantRemoved.map((entry) => (
                      <List.Item key={`${entry.customerId}-${entry.tag}`}>
                        <InlineStack gap="200" blockAlign="start" wrap={false}>
                          <CustomerCell id={entry.customerId} person={people[entry.customerId]} />
                          <Text as="span">
                            {entry.tag}, removed {formatShopTime(entry.at, timeZone, true)}
                          </Text>
                        </InlineStack>
                      </List.Item>
                    ))}
                  </List>
                </BlockStack>
              </Card>
            )}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Remove all app tags
                </Text>
                <Text as="p" tone="subdued">
                  Turns tagging off for every segment and removes every tag Persegment wrote from
                  your customers. Tags you added yourself stay.
                </Text>
                <InlineStack>
                  <ConfirmButton
                    label="Remove all app tags"
                    title="Remove all app tags?"
                    body={`Tagging is turned off for every segment, and every ${tagPrefix}… tag Persegment wrote is removed from your customers in Shopify. Shopify Email segments and automations that use these tags stop matching anyone. Tags you added yourself are not touched.`}
                    confirmLabel="Remove all app tags"
                    fields={{ intent: "remove-all" }}
                    loading={busy("remove-all")}
                  />
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
