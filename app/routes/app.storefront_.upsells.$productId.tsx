import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Autocomplete,
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { memo, useEffect, useState } from "react";
import { saveOverridesAndPublish, upsellEditor } from "~/storefront/admin.server";
import type { loader as searchLoader } from "~/routes/app.storefront_.product-search";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

function productGid(param: string | undefined) {
  if (!param || !/^\d+$/.test(param)) throw new Response("Not a product id", { status: 404 });
  return `gid://shopify/Product/${param}`;
}

export const loader = reportingFailures(loadPage);

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const editor = await upsellEditor(session.shop, productGid(params.productId));
  if (!editor) throw new Response("This product is not synced", { status: 404 });
  return editor;
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result = await saveOverridesAndPublish(
    session.shop,
    productGid(params.productId),
    form.getAll("pinned").map(String),
    form.getAll("excluded").map(String),
  );
  if (!result.saved)
    return Response.json({ errors: result.errors, publishError: null }, { status: 400 });
  if (!result.outcome.published)
    return Response.json({ errors: {}, publishError: result.outcome.error });
  return redirect("/app/storefront");
}

type ActionData = { errors: Record<string, string>; publishError: string | null };

export default function UpsellOverrides() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const [pinned, setPinned] = useState(data.pinned);
  const [query, setQuery] = useState("");
  const search = useFetcher<typeof searchLoader>();
  useEffect(() => {
    const term = query.trim();
    if (!term) return;
    // A pause in typing, then one search of the synced products.
    const timer = setTimeout(
      () => search.load(`/app/storefront/product-search?q=${encodeURIComponent(term)}`),
      200,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- search.load is not stable
  }, [query]);
  const found = query.trim() ? (search.data?.products ?? []) : [];
  const options = found
    .filter((product) => product.id !== data.product.id)
    .map((product) => ({
      value: product.id,
      label: product.title,
      disabled: product.status !== "ACTIVE",
      media:
        product.status !== "ACTIVE" ? (
          <Badge>{product.status === "DRAFT" ? "Draft" : "Not active"}</Badge>
        ) : undefined,
    }));
  const pin = (ids: string[]) => {
    const chosen = found.filter(
      (product) => ids.includes(product.id) && !pinned.some((entry) => entry.id === product.id),
    );
    setPinned((current) => [...current, ...chosen]);
    setQuery("");
  };

  const errors = result?.errors ?? {};
  return (
    <Page
      title={`Upsells for ${data.product.title}`}
      backAction={{ content: "Storefront", url: "/app/storefront" }}
    >
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {Object.keys(errors).length > 0 && (
                <Banner tone="critical" title="Nothing was saved.">
                  {Object.entries(errors)
                    .filter(([field]) => field !== "pinned")
                    .map(([field, message]) => (
                      <p key={field}>{message}</p>
                    ))}
                </Banner>
              )}
              {result?.publishError && (
                <Banner
                  tone="warning"
                  title={`Saved, but publishing to Shopify failed: ${result.publishError}`}
                />
              )}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Pinned (shown first, in this order)
                  </Text>
                  <Autocomplete
                    options={options}
                    selected={[]}
                    onSelect={pin}
                    loading={search.state === "loading"}
                    emptyState={
                      query.trim() && search.state === "idle" ? (
                        <Text as="p" tone="subdued">
                          {`No synced product matches "${query.trim()}".`}
                        </Text>
                      ) : undefined
                    }
                    textField={
                      <Autocomplete.TextField
                        label="Pin a product"
                        value={query}
                        onChange={setQuery}
                        placeholder="Search your products by title"
                        autoComplete="off"
                        error={errors.pinned}
                      />
                    }
                  />
                  {pinned.length === 0 && (
                    <Text as="p" tone="subdued">
                      No pinned products.
                    </Text>
                  )}
                  {pinned.map((product) => (
                    <InlineStack key={product.id} align="space-between" blockAlign="center">
                      <input type="hidden" name="pinned" value={product.id} />
                      <Text as="span">{product.title}</Text>
                      <Button
                        variant="plain"
                        onClick={() =>
                          setPinned((current) => current.filter((entry) => entry.id !== product.id))
                        }
                      >
                        Unpin
                      </Button>
                    </InlineStack>
                  ))}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Computed from orders
                  </Text>
                  {data.computed.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No recommendations yet: they are computed with the next publish.
                    </Text>
                  ) : (
                    <BoughtTogether picks={data.computed} excluded={data.excluded} />
                  )}
                  {data.excluded
                    .filter((id) => !data.computed.some((pick) => pick.id === id))
                    .map((id) => (
                      <input key={id} type="hidden" name="excluded" value={id} />
                    ))}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Published now
                  </Text>
                  <Text as="p">
                    {data.published.map((product) => product.title).join(", ") ||
                      "Nothing: the block stays hidden on this product."}
                  </Text>
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Pick = {
  id: string;
  title: string;
  support: number;
  confidence: number;
  source: string;
};

/** Where a pick came from: bought with this product, or a fill for a short list. */
function SourceBadge({ source }: { source: string }) {
  if (source === "same_group") return <Badge tone="info">Fill: same type or collection</Badge>;
  if (source === "best_seller") return <Badge tone="info">Fill: best seller</Badge>;
  return <Badge tone="success">Bought together</Badge>;
}

/**
 * The computed picks, each with its "Never show" box. The rows do not change when a box is
 * ticked (each box keeps its own state and the form reads it), so the table is not laid out again.
 */
const BoughtTogether = memo(function BoughtTogether({
  picks,
  excluded,
}: {
  picks: Pick[];
  excluded: string[];
}) {
  return (
    <DataTable
      columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
      headings={["Product", "Why", "Orders together", "Confidence", "Hide"]}
      rows={picks.map((pick) => [
        pick.title,
        <SourceBadge key={pick.id} source={pick.source} />,
        pick.support,
        `${Math.round(pick.confidence * 100)}%`,
        <NeverShow key={pick.id} id={pick.id} initiallyChecked={excluded.includes(pick.id)} />,
      ])}
    />
  );
});

function NeverShow({ id, initiallyChecked }: { id: string; initiallyChecked: boolean }) {
  const [checked, setChecked] = useState(initiallyChecked);
  return (
    <Checkbox
      label="Never show"
      name="excluded"
      value={id}
      checked={checked}
      onChange={setChecked}
    />
  );
}
