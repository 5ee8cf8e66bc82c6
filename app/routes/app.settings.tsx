import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  ContextualSaveBar,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { CleanupCard } from "~/cleanup/components/CleanupCard";
import { cleanupAction, isCleanupIntent } from "~/cleanup/settings-action.server";
import { ResultToast } from "~/components/Feedback";
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

/**
 * What each number field accepts, in the form's own units (days, percent): a refused value is
 * explained the way it was typed, never as the stored fraction ("<=0.999").
 */
const NUMBER_FIELDS: Partial<Record<keyof ShopSettings, string>> = {
  newBuyerDays: "Enter a whole number of days between 1 and 3,650",
  lapsedDays: "Enter a whole number of days between 1 and 3,650",
  vipPercentile: "Enter a value between 50 and 99.9",
  discountSeekerShare: "Enter a value between 0 and 100 (more than 0)",
  likelyToBuyOrders90d: "Enter a number of orders above 0 and at most 100, such as 0.5",
  slippingAwayOverdueDays: "Enter a whole number of days between 1 and 3,650",
  slippingAwayMinChance: "Enter a value between 0 and 100",
};

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (isCleanupIntent(intent)) return cleanupAction(session.shop, intent);
  if (intent !== "save") return data({ error: `Unknown action "${intent}".` }, { status: 400 });
  const current = await getShopSettings(session.shop);
  const parsed = ShopSettingsSchema.safeParse({
    ...current,
    ...settingsFromForm((name) => form.get(name)),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as keyof ShopSettings;
      errors[field] ??= NUMBER_FIELDS[field] ?? issue.message;
    }
    return Response.json({ errors, saved: false }, { status: 400 });
  }
  await updateShopSettings(session.shop, parsed.data);
  return { errors: {} as Record<string, string>, saved: true };
}

const SAVED = "Settings saved. Segments use them from the next recompute.";

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = (result && "errors" in result && result.errors) || {};
  const submitting = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const saved = useMemo(() => settingsFormFields(settings), [settings]);
  const [values, setValues] = useState(saved);
  // After a save the loader's settings are the new ones: the form shows them, clean.
  useEffect(() => setValues(saved), [saved]);
  const dirty = (Object.keys(saved) as (keyof ShopSettings)[]).some(
    (key) => values[key] !== saved[key],
  );
  const form = useRef<HTMLFormElement>(null);
  const toast = useMemo(
    () => (result && "saved" in result && result.saved ? { message: SAVED } : null),
    [result],
  );
  const field = (name: keyof ShopSettings) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name],
    autoComplete: "off",
  });
  return (
    <Page title="Settings">
      {dirty ? (
        <ContextualSaveBar
          message="Unsaved changes"
          saveAction={{
            content: "Save",
            onAction: () => form.current?.requestSubmit(),
            loading: submitting("save"),
          }}
          discardAction={{ content: "Discard", onAction: () => setValues(saved) }}
        />
      ) : null}
      <ResultToast result={toast} />
      <Layout>
        <Layout.Section>
          <Form method="post" ref={form}>
            <BlockStack gap="400">
              {result && !("intent" in result) && "error" in result && (
                <Text as="p" tone="critical">
                  {result.error}
                </Text>
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
                    min={1}
                    max={3650}
                    {...field("newBuyerDays")}
                  />
                  <TextField
                    type="number"
                    label="Lapsed: no order for more than (days)"
                    min={1}
                    max={3650}
                    {...field("lapsedDays")}
                  />
                  <TextField
                    type="number"
                    label="VIP: spend at or above percentile"
                    suffix="%"
                    helpText="Between 50 and 99.9: 90 means the top 10 % of spenders."
                    {...field("vipPercentile")}
                  />
                  <TextField
                    type="number"
                    label="Discount seekers: share of orders with a code"
                    suffix="%"
                    helpText="Between 0 and 100."
                    {...field("discountSeekerShare")}
                  />
                  <TextField
                    type="number"
                    label="Likely to buy soon: expected orders in the next 90 days, at least"
                    helpText="From the latest predictions, e.g. 0.5: half an order expected over the next 90 days."
                    step={0.1}
                    {...field("likelyToBuyOrders90d")}
                  />
                  <TextField
                    type="number"
                    label="Slipping away: days overdue, at least"
                    helpText="Repeat buyers whose last order is this much later than their usual interval."
                    min={1}
                    max={3650}
                    {...field("slippingAwayOverdueDays")}
                  />
                  <TextField
                    type="number"
                    label="Slipping away: chance still a customer, at least"
                    suffix="%"
                    helpText="Leaves out customers who are most likely gone already (see We miss you)."
                    {...field("slippingAwayMinChance")}
                  />
                  {/* With changes, Save and Discard are in the save bar at the top. */}
                  {dirty ? null : (
                    <InlineStack align="end">
                      <Button submit variant="primary" loading={submitting("save")}>
                        Save
                      </Button>
                    </InlineStack>
                  )}
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
