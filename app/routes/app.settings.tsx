import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  Layout,
  Page,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { CleanupCard } from "~/cleanup/components/CleanupCard";
import { cleanupAction, isCleanupIntent } from "~/cleanup/settings-action.server";
import {
  settingsFormFields,
  settingsFromForm,
  ShopSettingsSchema,
  type ShopSettings,
} from "~/domain/settings";
import { getShopSettings, updateShopSettings } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return { settings: await getShopSettings(session.shop) };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (isCleanupIntent(intent)) return cleanupAction(session.shop, intent);
  if (intent !== "save") return data({ error: `Unknown action "${intent}".` }, { status: 400 });
  const parsed = ShopSettingsSchema.safeParse(settingsFromForm((name) => form.get(name)));
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]),
    );
    return Response.json({ errors, saved: false }, { status: 400 });
  }
  await updateShopSettings(session.shop, parsed.data);
  return { errors: {} as Record<string, string>, saved: true };
}

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = (result && "errors" in result && result.errors) || {};
  const submitting = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const [values, setValues] = useState(() => settingsFormFields(settings));
  const field = (name: keyof ShopSettings) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name],
    autoComplete: "off",
  });
  return (
    <Page title="Settings">
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {result && !("intent" in result) && "error" in result && (
                <Banner tone="critical" title={result.error} />
              )}
              {result && "saved" in result && result.saved && (
                <Banner
                  tone="success"
                  title="Settings saved. Segments use them from the next recompute."
                />
              )}
              <Card>
                <FormLayout>
                  <input type="hidden" name="intent" value="save" />
                  <TextField
                    label="Tag prefix"
                    helpText="Tags look like seg-champions. Changing it retags customers on the next run."
                    {...field("tagPrefix")}
                  />
                  <TextField
                    type="number"
                    label="New buyers: first order within (days)"
                    {...field("newBuyerDays")}
                  />
                  <TextField
                    type="number"
                    label="Lapsed: no order for more than (days)"
                    {...field("lapsedDays")}
                  />
                  <TextField
                    type="number"
                    label="VIP: spend at or above percentile"
                    suffix="%"
                    {...field("vipPercentile")}
                  />
                  <TextField
                    type="number"
                    label="Discount seekers: share of orders with a code"
                    suffix="%"
                    {...field("discountSeekerShare")}
                  />
                  <Button submit variant="primary" loading={submitting("save")}>
                    Save
                  </Button>
                </FormLayout>
              </Card>
            </BlockStack>
          </Form>
        </Layout.Section>
        <Layout.Section>
          <CleanupCard
            result={result && "intent" in result ? result : null}
            busy={submitting("cleanup-preview") || submitting("cleanup-run")}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
