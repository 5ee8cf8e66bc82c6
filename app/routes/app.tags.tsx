import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { gatewayForShop } from "~/shops/access.server";
import { authenticate } from "~/shopify.server";
import { applyShopTags, removeAllAppTags } from "~/tags/apply.server";
import { tagsOverview } from "~/tags/overview.server";
import { setTagging } from "~/tags/setup.server";
import { publishShopifySegment, TagSetupError } from "~/tags/shopify-segments.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return tagsOverview(session.shop);
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

export default function Tags() {
  const { segments, preview, merchantRemoved, tagPrefix } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const rows = segments.map((segment) => [
    segment.name,
    segment.tagError ? (
      <Text as="span" tone="critical">
        {segment.tagError}
      </Text>
    ) : (
      segment.tag
    ),
    segment.members.toLocaleString("en-US"),
    segment.tagEnabled ? (
      <InlineStack gap="200" key="tagging">
        <Badge tone="success">On</Badge>
        <SegmentAction intent="disable" segmentId={segment.id} label="Turn off" />
      </InlineStack>
    ) : (
      <SegmentAction key="tagging" intent="enable" segmentId={segment.id} label="Tag customers" />
    ),
    `${segment.ledger.applied ?? 0} tagged · ${(segment.ledger["pending-add"] ?? 0) + (segment.ledger["pending-remove"] ?? 0)} pending · ${segment.ledger["merchant-removed"] ?? 0} removed by you`,
    segment.subscribed === null ? "—" : segment.subscribed.toLocaleString("en-US"),
    segment.tagEnabled ? (
      segment.shopifySegmentId ? (
        <Badge key="shopify" tone="info">
          In Shopify
        </Badge>
      ) : (
        <SegmentAction
          key="shopify"
          intent="publish"
          segmentId={segment.id}
          label="Create Shopify segment"
        />
      )
    ) : (
      "—"
    ),
  ]);
  return (
    <Page
      title="Tags and Shopify Email"
      subtitle={`Tags are written as ${tagPrefix}<segment handle>`}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result &&
              (result.ok ? (
                <Banner tone="success" title={result.message} />
              ) : (
                <Banner tone="critical" title={result.error} />
              ))}
            <Card>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text", "numeric", "text"]}
                headings={[
                  "Segment",
                  "Tag",
                  "Members",
                  "Tag customers",
                  "App tags",
                  "Email subscribers",
                  "Shopify segment",
                ]}
                rows={rows}
              />
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Next write (preview)
                </Text>
                <Text as="p">
                  {preview.adds} tags to add and {preview.removes} to remove for {preview.customers}{" "}
                  customers. Customers whose segments did not change cost nothing.
                </Text>
                {preview.sample.length > 0 && (
                  <List>
                    {preview.sample.map((change) => (
                      <List.Item key={change.customerId}>
                        {change.customerId} {change.add.map((tag) => `+${tag}`).join(" ")}{" "}
                        {change.remove.map((tag) => `−${tag}`).join(" ")}
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
                    <Button
                      submit
                      variant="primary"
                      loading={busy}
                      disabled={preview.customers === 0}
                    >
                      Write tags now
                    </Button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-all" />
                    <Button submit tone="critical" loading={busy}>
                      Remove all app tags
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
                        {entry.tag} on {entry.customerId} ({entry.at.slice(0, 10)})
                      </List.Item>
                    ))}
                  </List>
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
