/** The segment list: a table on wide screens, stacked rows on phones (no sideways scrolling). */
import { Link } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Divider,
  EmptySearchResult,
  IndexTable,
  InlineStack,
  Text,
} from "@shopify/polaris";
import { Fragment } from "react";
import { BUILT_IN_SUGGESTIONS, type SuggestedAction } from "~/domain/segments/templates";
import type { SegmentSummary } from "~/segments/overview.server";
import { Sparkline } from "./charts";
import { NumericCell } from "~/components/NumericCell";
import { money } from "./format";
import { failingSince } from "./RuleNoticeBanner";

export const KIND_LABEL: Record<string, string> = {
  rfm: "RFM",
  lifecycle: "Lifecycle",
  prediction: "Prediction",
  engagement: "Email engagement",
  custom: "Custom",
};

/** Where a suggested next step is done in the app. */
const ACTION_URL: Record<SuggestedAction["kind"], string> = {
  bar: "/app/storefront/bars/new",
  email: "/app/tags",
  upsell: "/app/storefront",
};

const number = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

function NameCell({ segment }: { segment: SegmentSummary }) {
  const suggestion = BUILT_IN_SUGGESTIONS[segment.handle];
  return (
    <BlockStack gap="050">
      <Link to={`/app/segments/${segment.handle}`}>
        <Text as="span" fontWeight="semibold">
          {segment.name}
        </Text>
      </Link>
      {/* Table cells do not wrap; a long description would push the numbers out of view. */}
      <div style={{ whiteSpace: "normal", maxWidth: "22rem" }}>
        <Text as="span" tone="subdued" variant="bodySm">
          {segment.description}
        </Text>
      </div>
      {suggestion && (
        <Link to={ACTION_URL[suggestion.kind]}>
          <Text as="span" variant="bodySm">
            Next: {suggestion.label} →
          </Text>
        </Link>
      )}
    </BlockStack>
  );
}

function Badges({ segment }: { segment: SegmentSummary }) {
  return (
    <InlineStack gap="100">
      <Badge>{KIND_LABEL[segment.kind] ?? segment.kind}</Badge>
      {segment.tagEnabled && <Badge tone="info">Tagged</Badge>}
      {segment.ruleNotice && (
        <Badge tone="critical">{`Rule failing since ${failingSince(segment.ruleNotice)}`}</Badge>
      )}
    </InlineStack>
  );
}

const thisWeek = (segment: SegmentSummary) =>
  `+${number.format(segment.enteredThisWeek)} / −${number.format(segment.leftThisWeek)}`;

export function SegmentsTable({
  segments,
  currency,
}: {
  segments: SegmentSummary[];
  currency: string;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "segment", plural: "segments" }}
      itemCount={segments.length}
      selectable={false}
      emptyState={
        <EmptySearchResult
          title="No segments match"
          description="Try other words, or clear the filters."
          withIllustration={false}
        />
      }
      headings={[
        { title: "Segment" },
        { title: "Type" },
        { title: "Customers", alignment: "end" },
        { title: "Share", alignment: "end" },
        { title: "Revenue", alignment: "end" },
        { title: "AOV", alignment: "end" },
        { title: "This week", alignment: "end" },
        { title: "30 days" },
      ]}
    >
      {segments.map((segment, index) => (
        <IndexTable.Row id={segment.id} key={segment.id} position={index}>
          <IndexTable.Cell>
            <NameCell segment={segment} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Badges segment={segment} />
          </IndexTable.Cell>
          <NumericCell>{number.format(segment.members)}</NumericCell>
          <NumericCell>{percent.format(segment.share)}</NumericCell>
          <NumericCell>{money(segment.revenueCents, currency)}</NumericCell>
          <NumericCell>{money(segment.aovCents, currency)}</NumericCell>
          <NumericCell
            tone={segment.leftThisWeek > segment.enteredThisWeek ? "critical" : undefined}
          >
            {thisWeek(segment)}
          </NumericCell>
          <IndexTable.Cell>
            <Sparkline points={segment.trend} />
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

export function SegmentsNarrowList({
  segments,
  currency,
}: {
  segments: SegmentSummary[];
  currency: string;
}) {
  if (segments.length === 0)
    return (
      <Box padding="400">
        <EmptySearchResult
          title="No segments match"
          description="Try other words, or clear the filters."
          withIllustration={false}
        />
      </Box>
    );
  return (
    <BlockStack>
      {segments.map((segment, index) => (
        <Fragment key={segment.id}>
          {index > 0 && <Divider />}
          <Box padding="300">
            <BlockStack gap="200">
              <NameCell segment={segment} />
              <Badges segment={segment} />
              <Text as="p" variant="bodySm">
                {number.format(segment.members)} customers ({percent.format(segment.share)}) ·{" "}
                {money(segment.revenueCents, currency)} revenue · AOV{" "}
                {money(segment.aovCents, currency)}
              </Text>
              <Text
                as="p"
                variant="bodySm"
                tone={segment.leftThisWeek > segment.enteredThisWeek ? "critical" : "subdued"}
              >
                This week {thisWeek(segment)}
              </Text>
            </BlockStack>
          </Box>
        </Fragment>
      ))}
    </BlockStack>
  );
}
