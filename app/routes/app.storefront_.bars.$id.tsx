import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import {
  FORM_LOCALES,
  formFieldOf,
  fieldsFromSubmission,
  formFromBar,
  FREE_SHIPPING_HINT,
  THRESHOLD_ROWS,
  type BarFormFields,
} from "~/domain/storefront/bar-form";
import { DEFAULT_BAR } from "~/domain/storefront/bars";
import { barEditor, deleteBarAndPublish, saveBarFromForm } from "~/storefront/admin.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const loader = reportingFailures(loadPage);

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = params.id === "new" ? null : (params.id ?? null);
  const editor = await barEditor(session.shop, id);
  if (id && !editor.bar) throw new Response("This bar does not exist", { status: 404 });
  return {
    id,
    fields: formFromBar(editor.bar ?? DEFAULT_BAR),
    segments: editor.segments,
    selected: editor.bar?.audience.segments ?? [],
  };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = params.id === "new" ? null : (params.id ?? null);
  const form = await request.formData();
  if (form.get("intent") === "delete" && id) {
    await deleteBarAndPublish(session.shop, id);
    return redirect("/app/storefront");
  }
  const fields = fieldsFromSubmission(form.entries());
  const segments = form.getAll("segments").map(String);
  const result = await saveBarFromForm(session.shop, id, fields, segments);
  if (!result.saved) {
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(result.errors))
      errors[formFieldOf(path)] ??= message;
    return Response.json({ errors, publishError: null }, { status: 400 });
  }
  if (!result.outcome.published)
    return Response.json({ errors: {}, publishError: result.outcome.error, savedId: result.id });
  return redirect("/app/storefront");
}

type ActionData = { errors: Record<string, string>; publishError: string | null; savedId?: string };

const LOCALE_NAMES: Record<string, string> = {
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
};

export default function BarEditor() {
  const { id, fields: initial, segments, selected } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const errors = result?.errors ?? {};
  const [values, setValues] = useState<BarFormFields>(initial);
  const [chosen, setChosen] = useState<string[]>(selected);
  const field = (name: string) => ({
    name,
    value: values[name] ?? "",
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name],
    autoComplete: "off",
  });
  const freeShipping = values.kind === "free-shipping";

  return (
    <Page
      title={id ? `Edit ${initial.name}` : "New top bar"}
      backAction={{ content: "Storefront", url: "/app/storefront" }}
    >
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {Object.keys(errors).length > 0 && (
                <Banner
                  tone="critical"
                  title="The bar was not saved: fix the fields marked below."
                />
              )}
              {result?.publishError && (
                <Banner
                  tone="warning"
                  title={`Saved, but publishing to Shopify failed: ${result.publishError}`}
                />
              )}
              <Card>
                <FormLayout>
                  <TextField label="Name (only you see it)" {...field("name")} />
                  <FormLayout.Group>
                    <Select
                      label="Type"
                      options={[
                        { label: "Message", value: "message" },
                        { label: "Free-shipping progress", value: "free-shipping" },
                      ]}
                      {...field("kind")}
                    />
                    <TextField
                      type="number"
                      label="Priority"
                      helpText="The highest-priority bar that matches a shopper is shown."
                      {...field("priority")}
                    />
                  </FormLayout.Group>
                  <Checkbox
                    label="Show this bar"
                    name="enabled"
                    value="on"
                    checked={values.enabled === "on"}
                    onChange={(checked) =>
                      setValues((current) => ({ ...current, enabled: checked ? "on" : "" }))
                    }
                  />
                </FormLayout>
              </Card>

              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Message
                  </Text>
                  {freeShipping && (
                    <Text as="p" tone="subdued">
                      {FREE_SHIPPING_HINT}
                    </Text>
                  )}
                  <Select
                    label="Default language"
                    options={FORM_LOCALES.map((locale) => ({
                      label: LOCALE_NAMES[locale],
                      value: locale,
                    }))}
                    {...field("defaultLocale")}
                  />
                  {FORM_LOCALES.map((locale) => (
                    <TextField
                      key={locale}
                      label={`Message (${LOCALE_NAMES[locale]})`}
                      {...field(`message.${locale}`)}
                    />
                  ))}
                  {freeShipping &&
                    FORM_LOCALES.map((locale) => (
                      <TextField
                        key={locale}
                        label={`Once shipping is free (${LOCALE_NAMES[locale]})`}
                        {...field(`reached.${locale}`)}
                      />
                    ))}
                  <TextField
                    label="Link"
                    helpText="A store path like /collections/sale, or an https:// address. Optional."
                    {...field("link")}
                  />
                  <FormLayout.Group>
                    <TextField label="Background colour" {...field("background")} />
                    <TextField
                      label="Text colour"
                      helpText="Needs a 4.5:1 contrast with the background."
                      {...field("text")}
                    />
                  </FormLayout.Group>
                </FormLayout>
              </Card>

              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Who sees it
                  </Text>
                  <Select
                    label="Shoppers"
                    options={[
                      { label: "Everyone", value: "everyone" },
                      { label: "Logged-in customers", value: "logged-in" },
                      { label: "Guests", value: "guests" },
                    ]}
                    {...field("visitors")}
                  />
                  <BlockStack gap="100">
                    <Text as="p">Segments (any of them; none selected means everyone)</Text>
                    {segments.map((segment) => (
                      <Checkbox
                        key={segment.handle}
                        label={segment.name}
                        name="segments"
                        value={segment.handle}
                        disabled={!segment.tagEnabled && !chosen.includes(segment.handle)}
                        helpText={
                          segment.tagEnabled
                            ? undefined
                            : "Turn on tagging for this segment to target it."
                        }
                        checked={chosen.includes(segment.handle)}
                        onChange={(checked) =>
                          setChosen((current) =>
                            checked
                              ? [...current, segment.handle]
                              : current.filter((handle) => handle !== segment.handle),
                          )
                        }
                      />
                    ))}
                    {errors.segments && (
                      <Text as="p" tone="critical">
                        {errors.segments}
                      </Text>
                    )}
                  </BlockStack>
                  <TextField
                    label="Countries"
                    helpText="Two-letter codes, e.g. US, DE. Empty means every country."
                    {...field("countries")}
                  />
                  <FormLayout.Group>
                    <TextField type="datetime-local" label="Starts (UTC)" {...field("startsAt")} />
                    <TextField type="datetime-local" label="Ends (UTC)" {...field("endsAt")} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>

              {freeShipping && (
                <Card>
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      Free-shipping threshold per market
                    </Text>
                    <Text as="p" tone="subdued">
                      Amounts in the market's currency. Leave the countries empty for every other
                      country in that currency.
                    </Text>
                    {Array.from({ length: THRESHOLD_ROWS }, (_, index) => (
                      <FormLayout.Group key={index} condensed>
                        <TextField label="Countries" {...field(`threshold.${index}.countries`)} />
                        <TextField label="Currency" {...field(`threshold.${index}.currency`)} />
                        <TextField label="Free from" {...field(`threshold.${index}.amount`)} />
                      </FormLayout.Group>
                    ))}
                  </FormLayout>
                </Card>
              )}

              <InlineStack gap="200" align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
          {id && (
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <Button submit tone="critical" variant="plain">
                Delete this bar
              </Button>
            </Form>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
