import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { SEGMENT_TEMPLATES } from "~/domain/segments/templates";
import { SegmentEditor } from "~/segments/components/SegmentEditor";
import { segmentEditorAction } from "~/segments/editor-action.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  const id = new URL(request.url).searchParams.get("template");
  return { template: SEGMENT_TEMPLATES.find((template) => template.id === id) ?? null };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const response = await segmentEditorAction(session.shop, await request.formData());
  return response ?? Response.json({ ok: false, error: "Unknown action." }, { status: 400 });
}

const STARTER = {
  and: [
    { field: "frequency", op: ">=", value: 2 },
    { field: "recency", op: "<=", value: 90 },
  ],
};

function Templates({ onPick }: { onPick: (id: string) => void }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Start from a template
          </Text>
          <Text as="p" tone="subdued">
            Each one comes with the step stores usually take next. You can change every condition
            before saving.
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          {SEGMENT_TEMPLATES.map((template) => (
            <Card key={template.id} background="bg-surface-secondary">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {template.name}
                </Text>
                <Text as="p">{template.description}</Text>
                <Text as="p" tone="subdued">
                  Next: {template.action.label}
                </Text>
                <InlineStack>
                  <Button
                    onClick={() => onPick(template.id)}
                    accessibilityLabel={`Use template ${template.name}`}
                  >
                    Use template
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

export default function NewSegment() {
  const { template } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [, setSearchParams] = useSearchParams();
  // The embedded app's query (shop, host, token) stays; only the template changes.
  const pick = (id: string | null) =>
    setSearchParams((params) => {
      if (id) params.set("template", id);
      else params.delete("template");
      return params;
    });
  return (
    <Page
      title="Create segment"
      backAction={{ content: "Segments", onAction: () => navigate("/app/segments") }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {template ? (
              <Banner
                tone="info"
                title={`From the template “${template.name}”`}
                action={{ content: "Start blank instead", onAction: () => pick(null) }}
              >
                <p>After saving: {template.action.label}.</p>
              </Banner>
            ) : (
              <Templates onPick={pick} />
            )}
            <SegmentEditor
              // A new template starts a new form.
              key={template?.id ?? "blank"}
              initial={
                template
                  ? { name: template.name, description: template.description, rule: template.rule }
                  : { name: "", description: "", rule: STARTER }
              }
              submitLabel="Save segment"
              onSaved={(handle) => navigate(`/app/segments/${handle}`)}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
