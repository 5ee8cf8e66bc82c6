import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Collapsible,
  ContextualSaveBar,
  FormLayout,
  Frame,
  InlineStack,
  Layout,
  Link,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import {
  formFieldOf,
  fieldsFromSubmission,
  formFromBar,
  FREE_SHIPPING_HINT,
  THRESHOLD_ROWS,
  type BarFormFields,
} from "~/domain/storefront/bar-form";
import { AMOUNT_PLACEHOLDER } from "~/domain/storefront/bars";
import { contrastCheck, HEX_COLOR, MINIMUM_TEXT_CONTRAST } from "~/domain/storefront/colors";
import { isTimeZone } from "~/domain/dates";
import { MAX_HOLDOUT_PERCENT } from "~/domain/measurement/holdout";
import { barEditor, deleteBarAndPublish, saveBarFromForm } from "~/storefront/admin.server";
import { BarPreview, barPreviewLinks } from "~/storefront/components/BarPreview";
import { ColorField } from "~/storefront/components/ColorField";
import { StatusBadge } from "~/storefront/components/StatusBadge";
import { BOUNDARY_BOUND_SECONDS } from "~/storefront/jobs.server";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const links = () => barPreviewLinks;

export const loader = reportingFailures(loadPage);

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = params.id === "new" ? null : (params.id ?? null);
  const editor = await barEditor(session.shop, id);
  if (id && !editor.exists) throw new Response("This bar does not exist", { status: 404 });
  return {
    id,
    fields: formFromBar(editor.bar, editor.locales, editor.timeZone),
    locales: editor.locales,
    timeZone: editor.timeZone,
    localesProblem: editor.localesProblem,
    status: editor.status,
    segments: editor.segments,
    selected: editor.bar.audience.segments,
    boundMinutes: BOUNDARY_BOUND_SECONDS / 60,
  };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = params.id === "new" ? null : (params.id ?? null);
  const form = await request.formData();
  if (form.get("intent") === "delete" && id) {
    await deleteBarAndPublish(session.shop, id);
    return redirect("/app/storefront?done=deleted");
  }
  const fields = fieldsFromSubmission(form.entries());
  const segments = form.getAll("segments").map(String);
  // The zone the form showed its times in (read from Shopify by the loader).
  const timeZone = isTimeZone(fields.timeZone ?? "") ? fields.timeZone : "UTC";
  const result = await saveBarFromForm(session.shop, id, fields, segments, timeZone);
  if (!result.saved) {
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(result.errors))
      errors[formFieldOf(path)] ??= message;
    return Response.json({ errors, publishError: null }, { status: 400 });
  }
  if (!result.outcome.published)
    return Response.json({ errors: {}, publishError: result.outcome.error, savedId: result.id });
  return redirect("/app/storefront?done=saved");
}

type ActionData = { errors: Record<string, string>; publishError: string | null; savedId?: string };

const sameFields = (a: BarFormFields, b: BarFormFields) =>
  Object.keys({ ...a, ...b }).every((key) => (a[key] ?? "") === (b[key] ?? ""));

export default function BarEditor() {
  const data = useLoaderData<typeof loader>();
  const { id, fields: initial, locales, segments, selected, timeZone } = data;
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = result?.errors ?? {};
  const initialModes = {
    segmentMode: selected.length ? "segments" : "all",
    countryMode: initial.countries ? "some" : "all",
  };
  const [values, setValues] = useState<BarFormFields>({ ...initial, ...initialModes });
  const [chosen, setChosen] = useState<string[]>(selected);
  const [otherLanguagesOpen, setOtherLanguagesOpen] = useState(false);
  // A refused save with a message in a folded language unfolds them.
  useEffect(() => {
    const folded = locales
      .slice(1)
      .flatMap(({ locale }) => [`message.${locale}`, `reached.${locale}`]);
    if (folded.some((name) => result?.errors[name])) setOtherLanguagesOpen(true);
  }, [result, locales]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [previewLocale, setPreviewLocale] = useState(locales[0].locale);
  const set = (name: string, value: string) =>
    setValues((current) => ({ ...current, [name]: value }));
  const field = (name: string) => ({
    name,
    value: values[name] ?? "",
    onChange: (value: string) => set(name, value),
    error: errors[name],
    autoComplete: "off",
  });
  const dirty =
    !sameFields(values, { ...initial, ...initialModes }) ||
    [...chosen].sort().join() !== [...selected].sort().join();
  const saving =
    navigation.state === "submitting" && navigation.formData?.get("intent") !== "delete";
  const freeShipping = values.kind === "free-shipping";
  const [primary, ...others] = locales;
  const contrast = contrastCheck(values.text ?? "", values.background ?? "");
  const usable = segments.filter(
    (segment) => segment.tagEnabled || chosen.includes(segment.handle),
  );
  const untagged = segments.length - usable.length;

  const messageFields = (locale: { locale: string; name: string; published: boolean }) => (
    <BlockStack key={locale.locale} gap="200">
      <TextField
        label={`Message (${locale.name})`}
        helpText={
          !locale.published
            ? "This language is not published in your store: shoppers never see it. Clear it to remove it."
            : undefined
        }
        {...field(`message.${locale.locale}`)}
      />
      {freeShipping && (
        <TextField
          label={`Once shipping is free (${locale.name})`}
          {...field(`reached.${locale.locale}`)}
        />
      )}
    </BlockStack>
  );

  // The preview shows the message in the chosen language, falling back like the storefront does.
  const previewMessage =
    values[`message.${previewLocale}`]?.trim() ||
    values[`message.${values.defaultLocale}`]?.trim() ||
    "Your message appears here";
  const sampleAmount = Number(values["threshold.0.amount"]) || 50;
  const sampleCurrency = values["threshold.0.currency"]?.trim().toUpperCase() || "USD";
  let shownMessage = previewMessage;
  if (freeShipping) {
    let remaining: string;
    try {
      remaining = new Intl.NumberFormat(previewLocale, {
        style: "currency",
        currency: sampleCurrency,
      }).format(sampleAmount * 0.3);
    } catch {
      remaining = (sampleAmount * 0.3).toFixed(2);
    }
    shownMessage = previewMessage.replace(AMOUNT_PLACEHOLDER, remaining);
  }
  const preview = {
    background: HEX_COLOR.test(values.background ?? "") ? values.background : "#000000",
    text: HEX_COLOR.test(values.text ?? "") ? values.text : "#ffffff",
    message: shownMessage,
    link: values.link ?? "",
    progress: freeShipping ? 70 : undefined,
  };

  const saveForm = () => formRef.current && submit(formRef.current, { method: "post" });
  const discard = () => {
    setValues({ ...initial, ...initialModes });
    setChosen(selected);
  };

  return (
    <Frame>
      {dirty && (
        <ContextualSaveBar
          message="Unsaved changes"
          saveAction={{ content: "Save", onAction: saveForm, loading: saving }}
          discardAction={{ content: "Discard", onAction: discard }}
        />
      )}
      <Page
        title={id ? `Edit ${initial.name}` : "New top bar"}
        titleMetadata={id ? <StatusBadge status={data.status} /> : undefined}
        backAction={{ content: "Storefront", url: "/app/storefront" }}
        secondaryActions={
          id && initial.holdoutPercent !== "0"
            ? [{ content: "Results", url: `/app/storefront/bars/${id}/results` }]
            : []
        }
      >
        <Form method="post" ref={formRef}>
          <input type="hidden" name="defaultLocale" value={values.defaultLocale} />
          <input type="hidden" name="timeZone" value={timeZone} />
          <Layout>
            <Layout.Section>
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
                {data.localesProblem && (
                  <Banner
                    tone="warning"
                    title="Your store's languages and time zone could not be read"
                  >
                    {data.localesProblem} Messages are shown for the languages this bar already has,
                    and times in UTC. Open the app from your Shopify admin to grant missing
                    permissions.
                  </Banner>
                )}

                <Card>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <Text as="h2" variant="headingMd">
                        Preview
                      </Text>
                      {locales.length > 1 && (
                        <Box minWidth="12rem">
                          <Select
                            label="Preview language"
                            labelInline
                            options={locales.map(({ locale, name }) => ({
                              label: name,
                              value: locale,
                            }))}
                            value={previewLocale}
                            onChange={setPreviewLocale}
                          />
                        </Box>
                      )}
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      As shoppers see it, on a wide screen and on a phone
                      {freeShipping ? ", with a cart 70% of the way to free shipping" : ""}.
                    </Text>
                    <div data-testid="bar-preview">
                      <BarPreview {...preview} />
                    </div>
                    <div
                      style={{
                        width: 360,
                        maxWidth: "100%",
                        border: "1px solid var(--p-color-border)",
                        borderRadius: 8,
                        overflow: "hidden",
                      }}
                      aria-label="Preview on a phone"
                    >
                      <BarPreview {...preview} />
                      <div
                        style={{ height: 24, background: "var(--p-color-bg-surface-secondary)" }}
                      />
                    </div>
                  </BlockStack>
                </Card>

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
                      onChange={(checked) => set("enabled", checked ? "on" : "")}
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
                    {messageFields(primary)}
                    {others.length > 0 && (
                      <BlockStack gap="200">
                        <InlineStack>
                          <Button
                            variant="plain"
                            disclosure={otherLanguagesOpen ? "up" : "down"}
                            onClick={() => setOtherLanguagesOpen((open) => !open)}
                            ariaExpanded={otherLanguagesOpen}
                            ariaControls="other-languages"
                          >
                            {`Other languages (${others.length})`}
                          </Button>
                        </InlineStack>
                        <Text as="p" tone="subdued" variant="bodySm">
                          Shoppers browsing in a language without its own message see the{" "}
                          {primary.name} one.
                        </Text>
                        {/* Closed, the fields stay in the form so their messages are kept. */}
                        <Collapsible id="other-languages" open={otherLanguagesOpen}>
                          <BlockStack gap="300">{others.map(messageFields)}</BlockStack>
                        </Collapsible>
                        {!otherLanguagesOpen &&
                          others
                            .flatMap(({ locale }) => [`message.${locale}`, `reached.${locale}`])
                            .map((name) => (
                              <input
                                key={name}
                                type="hidden"
                                name={name}
                                value={values[name] ?? ""}
                              />
                            ))}
                      </BlockStack>
                    )}
                    <TextField
                      label="Link"
                      helpText="A store path like /collections/sale, or an https:// address. Optional."
                      {...field("link")}
                    />
                    <FormLayout.Group>
                      <ColorField
                        label="Background colour"
                        name="background"
                        value={values.background ?? ""}
                        onChange={(value) => set("background", value)}
                        error={errors.background}
                      />
                      <ColorField
                        label="Text colour"
                        name="text"
                        value={values.text ?? ""}
                        onChange={(value) => set("text", value)}
                        error={errors.text}
                      />
                    </FormLayout.Group>
                    {contrast && (
                      <InlineStack gap="200" blockAlign="center">
                        <Badge tone={contrast.readable ? "success" : "warning"}>
                          {`Contrast ${contrast.ratio.toFixed(2)}:1`}
                        </Badge>
                        <Text as="span" tone={contrast.readable ? "subdued" : "caution"}>
                          {contrast.readable
                            ? "Readable: meets WCAG AA for text."
                            : `Below ${MINIMUM_TEXT_CONTRAST}:1: many shoppers cannot read this. Pick a darker or lighter colour.`}
                        </Text>
                      </InlineStack>
                    )}
                  </FormLayout>
                </Card>

                <Card>
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      Who sees it
                    </Text>
                    <ChoiceList
                      title="Shoppers"
                      name="visitors"
                      choices={[
                        { label: "All shoppers", value: "everyone" },
                        { label: "Logged-in customers only", value: "logged-in" },
                        { label: "Guests only", value: "guests" },
                      ]}
                      selected={[values.visitors]}
                      onChange={([value]) => set("visitors", value)}
                      error={errors.visitors}
                    />
                    <ChoiceList
                      title="Segments"
                      name="segmentMode"
                      choices={[
                        { label: "Any customer", value: "all" },
                        {
                          label: "Only customers in these segments",
                          value: "segments",
                          disabled: usable.length === 0,
                          helpText: usable.length === 0 ? "No segment is tagged yet." : undefined,
                        },
                      ]}
                      selected={[values.segmentMode]}
                      onChange={([value]) => set("segmentMode", value)}
                    />
                    {values.segmentMode === "segments" && (
                      <Box paddingInlineStart="600">
                        <BlockStack gap="100">
                          {usable.map((segment) => (
                            <Checkbox
                              key={segment.handle}
                              label={segment.name}
                              name="segments"
                              value={segment.handle}
                              checked={chosen.includes(segment.handle)}
                              error={
                                !segment.tagEnabled
                                  ? "Tagging is off for this segment: shoppers in it are not recognised."
                                  : undefined
                              }
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
                      </Box>
                    )}
                    {untagged > 0 && (
                      <Text as="p" tone="subdued">
                        The storefront recognises a segment by its customer tag, so only tagged
                        segments are listed. {untagged} more can be used once you{" "}
                        <Link url="/app/tags">turn on their tags</Link>.
                      </Text>
                    )}
                    <ChoiceList
                      title="Countries"
                      name="countryMode"
                      choices={[
                        { label: "Every country", value: "all" },
                        { label: "Only these countries", value: "some" },
                      ]}
                      selected={[values.countryMode]}
                      onChange={([value]) => set("countryMode", value)}
                    />
                    {values.countryMode === "some" && (
                      <Box paddingInlineStart="600">
                        <TextField
                          label="Country codes"
                          helpText="Two-letter codes separated by commas, e.g. US, DE."
                          {...field("countries")}
                        />
                      </Box>
                    )}
                    <Box maxWidth="28rem">
                      <TextField
                        type="number"
                        label="Holdout"
                        suffix="%"
                        min={0}
                        max={MAX_HOLDOUT_PERCENT}
                        helpText="Logged-in customers in the audience who are not shown this bar (they see your next matching bar), so you can measure what it changes. 0 turns it off. Guests always see it; a customer is held out of one bar at most."
                        {...field("holdoutPercent")}
                      />
                    </Box>
                  </FormLayout>
                </Card>

                <Card>
                  <FormLayout>
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        Schedule
                      </Text>
                      {id && <StatusBadge status={data.status} />}
                    </InlineStack>
                    <FormLayout.Group>
                      <TextField
                        type="datetime-local"
                        label={`Starts (${timeZone})`}
                        helpText="Empty: from now on."
                        {...field("startsAt")}
                      />
                      <TextField
                        type="datetime-local"
                        label={`Ends (${timeZone})`}
                        helpText="Empty: until you switch it off."
                        {...field("endsAt")}
                      />
                    </FormLayout.Group>
                    <Text as="p" tone="subdued">
                      Times are in your store&apos;s time zone. Shoppers see the bar appear and
                      disappear within {data.boundMinutes} minutes of these times.
                    </Text>
                  </FormLayout>
                </Card>

                {freeShipping && (
                  <Card>
                    <FormLayout>
                      <Text as="h2" variant="headingMd">
                        Free-shipping threshold per market
                      </Text>
                      <Text as="p" tone="subdued">
                        Amounts in the market&apos;s currency. Leave the countries empty for every
                        other country in that currency.
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

                <InlineStack gap="200" align="space-between">
                  {id ? (
                    <Button tone="critical" onClick={() => setConfirmDelete(true)}>
                      Delete bar
                    </Button>
                  ) : (
                    <span />
                  )}
                  {/* With unsaved changes, the save bar at the top saves. */}
                  {!dirty && (
                    <Button submit variant="primary" loading={saving}>
                      Save
                    </Button>
                  )}
                </InlineStack>
              </BlockStack>
            </Layout.Section>
          </Layout>
        </Form>
        <Modal
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          title={`Delete "${initial.name}"?`}
          primaryAction={{
            content: "Delete bar",
            destructive: true,
            loading: navigation.formData?.get("intent") === "delete",
            onAction: () => submit({ intent: "delete" }, { method: "post" }),
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirmDelete(false) }]}
        >
          <Modal.Section>
            <Text as="p">
              Shoppers stop seeing this bar once your store is republished, within seconds. This
              cannot be undone.
            </Text>
          </Modal.Section>
        </Modal>
      </Page>
    </Frame>
  );
}
