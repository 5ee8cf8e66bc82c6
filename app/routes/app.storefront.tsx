import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  Frame,
  InlineStack,
  Layout,
  Page,
  Text,
  Toast,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  recomputeAndPublish,
  republish,
  storefrontOverview,
  type PublishOutcome,
} from "~/storefront/admin.server";
import {
  activateEmbedUrl,
  addBuyAgainBlockUrl,
  addUpsellBlockUrl,
  EXTENSION_HANDLE,
  TOP_BAR_EMBED,
} from "~/storefront/extension";
import { BuyAgainCard } from "~/storefront/components/BuyAgainCard";
import { RecommendationQualityCard } from "~/storefront/components/RecommendationQualityCard";
import { StatusBadge } from "~/storefront/components/StatusBadge";
import { buyAgainOverview } from "~/storefront/buy-again.server";
import { chooseForUpsells, qualityCard } from "~/storefront/quality.server";
import { appExtensionsApi } from "~/shopify/app-bridge";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";
import { pipeline } from "~/pipeline.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const apiKey = process.env.SHOPIFY_API_KEY ?? "";
  const [overview, quality, buyAgain] = await Promise.all([
    storefrontOverview(session.shop, new Date()),
    qualityCard(session.shop, new Date()),
    buyAgainOverview(session.shop),
  ]);
  if (quality.due) await pipeline().measureRecommendations(session.shop);
  return {
    ...overview,
    quality,
    buyAgain,
    activateEmbedUrl: activateEmbedUrl(session.shop, apiKey),
    addUpsellBlockUrl: addUpsellBlockUrl(session.shop, apiKey),
    addBuyAgainBlockUrl: addBuyAgainBlockUrl(session.shop, apiKey),
  };
}

type ActionResult = { ok: boolean; message: string };

function describeOutcome(outcome: PublishOutcome) {
  return outcome.published
    ? `Published: ${outcome.report.written} metafields written, ${outcome.report.deleted} removed, ${outcome.report.unchanged} already up to date.`
    : `Saved, but publishing to Shopify failed: ${outcome.error}`;
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "publish": {
      const outcome = await republish(session.shop);
      return { ok: outcome.published, message: describeOutcome(outcome) };
    }
    case "recompute": {
      const { run, outcome } = await recomputeAndPublish(session.shop);
      return {
        ok: outcome.published,
        message: `Recommendations: ${run.pairs} picks for ${run.products} products from ${run.orders} orders. ${describeOutcome(outcome)}`,
      };
    }
    case "upsell-choice": {
      const result = await chooseForUpsells(
        session.shop,
        String(form.get("productId") ?? ""),
        String(form.get("choice") ?? ""),
      );
      if (!result.saved)
        return Response.json({ ok: false, message: result.error }, { status: 400 });
      return {
        ok: result.outcome.published,
        message: `Saved: ${result.run.fills} fills and ${result.run.addOns.length} add-ons left out. ${describeOutcome(result.outcome)}`,
      };
    }
    default:
      return { ok: false, message: `Unknown action "${intent}"` };
  }
}

type EmbedStatus = "checking" | "active" | "inactive" | "unknown" | "unavailable";

/**
 * Whether the merchant switched the top bar on in the live theme (App Bridge, no extra scope).
 * "unavailable" outside the Shopify admin, where App Bridge cannot tell.
 */
function useEmbedStatus(): EmbedStatus {
  const [status, setStatus] = useState<EmbedStatus>("checking");
  useEffect(() => {
    const extensions = appExtensionsApi();
    if (!extensions) return void setStatus("unavailable");
    let cancelled = false;
    extensions()
      .then((installed) => {
        const extension = installed.find((candidate) => candidate.handle === EXTENSION_HANDLE);
        const embed = (extension?.activations ?? []).find(
          (activation) => "handle" in activation && activation.handle === TOP_BAR_EMBED,
        );
        if (!cancelled)
          setStatus(
            embed && "status" in embed && embed.status === "active" ? "active" : "inactive",
          );
      })
      .catch(() => !cancelled && setStatus("unknown"));
    return () => {
      cancelled = true;
    };
  }, []);
  return status;
}

const EMBED_STATUS_TITLES: Record<Exclude<EmbedStatus, "active">, string> = {
  checking: "Checking your theme…",
  unknown: "Could not check whether the top bar is switched on in your theme.",
  unavailable:
    "Whether the top bar is switched on in your theme can only be checked inside the Shopify admin.",
  inactive: "Shoppers don't see top bars yet: the Persegment top bar is off in your live theme.",
};

const VISITORS: Record<string, string> = {
  everyone: "Everyone",
  "logged-in": "Logged-in customers",
  guests: "Guests",
};

/** What the bar editor hands back with (`?done=`), said once as a toast. */
const DONE_TOASTS: Record<string, string> = { saved: "Bar saved", deleted: "Bar deleted" };

function useDoneToast() {
  const [params, setParams] = useSearchParams();
  const [message] = useState(() => DONE_TOASTS[params.get("done") ?? ""] ?? null);
  const [shown, setShown] = useState(message !== null);
  useEffect(() => {
    // Said once: a reload of the page does not say it again.
    if (params.has("done"))
      setParams(
        (current) => {
          current.delete("done");
          return current;
        },
        { replace: true, preventScrollReset: true },
      );
  }, [params, setParams]);
  return shown && message ? <Toast content={message} onDismiss={() => setShown(false)} /> : null;
}

export default function Storefront() {
  const data = useLoaderData<typeof loader>();
  const toast = useDoneToast();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const embedStatus = useEmbedStatus();
  const busy = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <Frame>
      {toast}
      <Page
        title="Storefront"
        primaryAction={{ content: "Add top bar", url: "/app/storefront/bars/new" }}
      >
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result && (
                <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
              )}
              {data.publishingPaused && (
                <Banner tone="warning" title="Publishing to your store is paused">
                  Everything Persegment wrote to your store was removed (Settings), so shoppers see
                  no bars or upsells from it. Your bars and upsell picks are kept here: Publish now,
                  or save a bar, to put them back.
                </Banner>
              )}
              {embedStatus === "active" ? (
                <Banner tone="success" title="The top bar is switched on in your live theme." />
              ) : (
                <Banner
                  tone={
                    embedStatus === "checking" || embedStatus === "unavailable" ? "info" : "warning"
                  }
                  title={EMBED_STATUS_TITLES[embedStatus]}
                  action={{
                    content: "Turn it on in the theme editor",
                    url: data.activateEmbedUrl,
                    target: "_blank",
                  }}
                  secondaryAction={{
                    content: "Add upsells to product pages",
                    url: data.addUpsellBlockUrl,
                    target: "_blank",
                  }}
                />
              )}

              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Top bars
                  </Text>
                  {data.bars.length === 0 ? (
                    <EmptyState
                      heading="No top bars yet"
                      action={{ content: "Add top bar", url: "/app/storefront/bars/new" }}
                      image=""
                    >
                      <p>
                        Show a message to a segment, a country, guests or customers, or a
                        free-shipping progress bar.
                      </p>
                    </EmptyState>
                  ) : (
                    <DataTable
                      columnContentTypes={["text", "text", "text", "numeric"]}
                      headings={["Bar", "Type", "Who sees it", "Priority"]}
                      rows={data.bars.map((bar) => [
                        // The status next to the name: still in view when a phone scrolls the table.
                        <InlineStack key={bar.id} gap="200" blockAlign="center" wrap={false}>
                          <Link to={`/app/storefront/bars/${bar.id}`}>{bar.name}</Link>
                          <StatusBadge status={bar.status} />
                          {bar.results && (
                            <Link to={`/app/storefront/bars/${bar.id}/results`}>Results</Link>
                          )}
                        </InlineStack>,
                        bar.kind === "free-shipping" ? "Free shipping" : "Message",
                        [
                          VISITORS[bar.visitors],
                          bar.segments.length
                            ? `tags ${bar.segments.map((handle) => `${data.tagPrefix}${handle}`).join(", ")}`
                            : "",
                          bar.countries.length ? `in ${bar.countries.join(", ")}` : "",
                        ]
                          .filter(Boolean)
                          .join(" · "),
                        bar.priority,
                      ])}
                    />
                  )}
                </BlockStack>
              </Card>

              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    What shoppers see now
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "text", "text"]}
                    headings={["Shopper", "Bar", "Message"]}
                    rows={data.previews.map((preview) => [
                      preview.label,
                      preview.barName ?? "No bar",
                      preview.text ?? "—",
                    ])}
                  />
                </BlockStack>
              </Card>

              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Upsells on your most ordered products
                    </Text>
                    <Form method="post">
                      <input type="hidden" name="intent" value="recompute" />
                      <Button submit loading={busy("recompute")}>
                        Recompute from orders
                      </Button>
                    </Form>
                  </InlineStack>
                  {data.upsells.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No orders synced yet: recommendations come from products bought together.
                    </Text>
                  ) : (
                    <DataTable
                      columnContentTypes={["text", "numeric", "text"]}
                      headings={["Product", "Order lines", "Shown with it"]}
                      rows={data.upsells.map((product) => [
                        <Link
                          key={product.id}
                          to={`/app/storefront/upsells/${product.id.split("/").pop()}`}
                        >
                          {product.title}
                        </Link>,
                        product.orderLines,
                        `${product.picks.join(", ") || "—"}${product.overridden ? " (edited)" : ""}`,
                      ])}
                    />
                  )}
                </BlockStack>
              </Card>

              <RecommendationQualityCard
                quality={data.quality}
                busy={(productId) =>
                  navigation.state === "submitting" &&
                  navigation.formData?.get("productId") === productId
                }
              />

              <BuyAgainCard overview={data.buyAgain} addBlockUrl={data.addBuyAgainBlockUrl} />

              <Card>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="p">
                    {data.publishedAt
                      ? `Last published to Shopify ${new Date(data.publishedAt).toLocaleString("en-US", { timeZone: "UTC" })} UTC. Changes publish automatically.`
                      : "Nothing published to Shopify yet."}
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="publish" />
                    <Button submit loading={busy("publish")}>
                      Publish now
                    </Button>
                  </Form>
                </InlineStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Page>
    </Frame>
  );
}
