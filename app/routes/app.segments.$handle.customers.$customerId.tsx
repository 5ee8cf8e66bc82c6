import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useNavigate,
  useParams,
  useRouteError,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Divider,
  InlineGrid,
  InlineStack,
  Modal,
  Text,
} from "@shopify/polaris";
import type { ExplanationNode } from "~/domain/segments/explain";
import { CustomerPredictions } from "~/predictions/components/CustomerPredictions";
import { reportingFailures } from "~/errors/report.server";
import { shopDate, shopMoney } from "~/shops/format";
import { explainCustomer } from "~/segments/people.server";
import { authenticate } from "~/shopify.server";

export const loader = reportingFailures(loadPanel);

/** The "why" panel of one customer in one segment (opened from the segment's member list). */
async function loadPanel({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const numeric = params.customerId ?? "";
  if (!/^\d{1,20}$/.test(numeric))
    throw new Response("A customer id is a number, like 7100000002799.", { status: 400 });
  const why = await explainCustomer(
    session.shop,
    params.handle ?? "",
    `gid://shopify/Customer/${numeric}`,
  );
  if (!why) throw new Response("No such customer in this shop", { status: 404 });
  return why;
}

const LEDGER_STATES: Record<string, { label: string; tone?: "success" | "attention" | "info" }> = {
  applied: { label: "On the customer", tone: "success" },
  "pending-add": { label: "Being added", tone: "attention" },
  "pending-remove": { label: "Being removed", tone: "attention" },
  removed: { label: "Removed" },
  "merchant-removed": { label: "Removed by you", tone: "info" },
};

function Condition({ node, depth = 0 }: { node: ExplanationNode; depth?: number }) {
  if (node.kind === "condition")
    return (
      <InlineStack gap="200" wrap={false} blockAlign="start">
        <span aria-hidden style={{ minWidth: 18, color: node.met ? "#0c7a43" : "#b42318" }}>
          {node.met ? "✓" : "✗"}
        </span>
        <BlockStack gap="0">
          <Text as="span" fontWeight="medium">
            {node.label}
            <Text as="span" visuallyHidden>
              {node.met ? " (met)" : " (not met)"}
            </Text>
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            This customer: {node.actual}
          </Text>
        </BlockStack>
      </InlineStack>
    );
  const heading = {
    all: "All of these",
    any: "At least one of these",
    none: "Not this",
  }[node.kind];
  return (
    <BlockStack gap="200">
      {depth > 0 || node.kind !== "all" ? (
        <Text as="span" tone={node.met ? "success" : "critical"} variant="bodySm">
          {heading} {node.met ? "— met" : "— not met"}
        </Text>
      ) : null}
      <div
        style={{
          paddingLeft: depth > 0 || node.kind !== "all" ? 12 : 0,
          borderLeft:
            depth > 0 || node.kind !== "all" ? "2px solid var(--p-color-border)" : undefined,
        }}
      >
        <BlockStack gap="200">
          {node.children.map((child, index) => (
            <Condition key={index} node={child} depth={depth + 1} />
          ))}
        </BlockStack>
      </div>
    </BlockStack>
  );
}

function Value({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" variant="headingSm">
        {value}
      </Text>
    </BlockStack>
  );
}

export default function WhyPanel() {
  const why = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const location = useLocation();
  const { handle } = useParams();
  const { customer, locale, segment } = why;
  const values = customer.values;
  const title = customer.name ?? `Customer ${customer.id.split("/").pop()}`;
  const close = () =>
    navigate(`/app/segments/${handle}${location.search}`, {
      preventScrollReset: true,
    });
  const days = values.daysSinceLastOrder;
  return (
    <Modal
      open
      onClose={close}
      title={title}
      secondaryActions={[{ content: "Close", onAction: close }]}
      primaryAction={{
        content: "Open in Shopify admin",
        url: customer.adminPath,
        target: "_top",
      }}
    >
      <Modal.Section>
        <BlockStack gap="300">
          {why.namesError ? (
            <Banner tone="warning">
              <p>{why.namesError}</p>
            </Banner>
          ) : (
            customer.email && (
              <Text as="p" tone="subdued">
                {customer.email}
              </Text>
            )
          )}
          <InlineGrid columns={{ xs: 2, sm: 4 }} gap="300">
            <Value label="Orders" value={String(values.orders)} />
            <Value label="Spent" value={shopMoney(values.spentCents, locale.currency)} />
            <Value
              label="Days since last order"
              value={days === null ? "No order" : String(days)}
            />
            <Value
              label="R / F / M"
              value={
                values.r === null ? "–" : `${values.r} / ${values.f ?? "–"} / ${values.m ?? "–"}`
              }
            />
          </InlineGrid>
          <InlineStack gap="200" wrap>
            <Badge>{`RFM group: ${customer.rfmGroupName}`}</Badge>
            {customer.lifecycle.map((name) => (
              <Badge key={name} tone="info">
                {name}
              </Badge>
            ))}
          </InlineStack>
        </BlockStack>
      </Modal.Section>
      <Modal.Section>
        <CustomerPredictions
          predictions={why.predictions}
          refreshedAt={why.predictionsRefreshed}
          timeZone={locale.timeZone}
        />
      </Modal.Section>
      <Modal.Section>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingMd">
              {why.member ? `Why in ${segment.name}` : `Why not in ${segment.name}`}
            </Text>
            <Badge tone={why.member ? "success" : undefined}>
              {why.member
                ? `Member since ${shopDate(why.enteredAt, locale.timeZone)}`
                : "Not a member"}
            </Badge>
          </InlineStack>
          <Condition node={why.explanation} />
          <Text as="p" tone="subdued" variant="bodySm">
            {segment.kind === "prediction"
              ? "Checked against the latest predictions now; the segment follows each daily refit."
              : segment.kind === "custom"
                ? "Checked against the rule now; the segment follows within seconds of a new order and at the daily recompute."
                : `Checked as of the customer's last scoring (${shopDate(why.asOf, locale.timeZone)}), the values their membership was computed from.`}
            {why.explanation.met !== why.member &&
              " The membership catches up at the next recompute."}
          </Text>
        </BlockStack>
      </Modal.Section>
      <Modal.Section>
        <BlockStack gap="200">
          <Text as="h3" variant="headingMd">
            Tags the app wrote
          </Text>
          {why.tags.length === 0 ? (
            <Text as="p" tone="subdued">
              None: this customer has no tag from Persegment (tags are written only for segments
              with tagging turned on).
            </Text>
          ) : (
            <BlockStack gap="200">
              {why.tags.map((entry, index) => (
                <Box key={entry.tag}>
                  {index > 0 && <Divider />}
                  <Box paddingBlockStart={index > 0 ? "200" : "0"}>
                    <InlineStack gap="200" blockAlign="center" wrap>
                      <Text as="span" fontWeight="semibold">
                        {entry.tag}
                      </Text>
                      <Badge tone={LEDGER_STATES[entry.state]?.tone}>
                        {LEDGER_STATES[entry.state]?.label ?? entry.state}
                      </Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued" variant="bodySm">
                      Reason: {entry.reason || "not recorded"}
                      {entry.addedAt ? ` · added ${shopDate(entry.addedAt, locale.timeZone)}` : ""}
                    </Text>
                  </Box>
                </Box>
              ))}
            </BlockStack>
          )}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const navigate = useNavigate();
  const { handle } = useParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const close = () => navigate(`/app/segments/${handle}`);
  return (
    <Modal
      open
      onClose={close}
      title="Customer"
      secondaryActions={[{ content: "Close", onAction: close }]}
    >
      <Modal.Section>
        <Banner tone={status === 500 ? "critical" : "warning"}>
          <p>
            {status === 404
              ? "This customer is not in the app's copy of your store (they may have been deleted)."
              : status === 400
                ? "This link does not point to a customer."
                : "This customer's details could not be loaded. Your data is safe; try again in a moment."}
          </p>
        </Banner>
      </Modal.Section>
    </Modal>
  );
}
