import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { SegmentEditor } from "~/segments/components/SegmentEditor";
import { segmentEditorAction } from "~/segments/editor-action.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
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

export default function NewSegment() {
  const navigate = useNavigate();
  return (
    <Page
      title="Create segment"
      backAction={{ content: "Segments", onAction: () => navigate("/app/segments") }}
    >
      <Layout>
        <Layout.Section>
          <SegmentEditor
            initial={{ name: "", description: "", rule: STARTER }}
            submitLabel="Save segment"
            onSaved={(handle) => navigate(`/app/segments/${handle}`)}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
