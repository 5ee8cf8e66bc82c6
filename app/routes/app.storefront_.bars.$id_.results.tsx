import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  Layout,
  List,
  Page,
  Text,
  type BannerProps,
} from "@shopify/polaris";
import type { ReactNode } from "react";
import type { Call } from "~/domain/measurement/lift";
import {
  HISTORY_WEEKS,
  PLANNED_POWER,
  PLANNED_RELATIVE_LIFT,
  type TestPlan,
} from "~/domain/measurement/sample-size";
import { reportingFailures } from "~/errors/report.server";
import { barEngagementFor } from "~/measurement/bar-events.server";
import { barResults } from "~/measurement/bar-lift.server";
import { BarViewsCard } from "~/measurement/components/BarViewsCard";
import { LiftTable } from "~/measurement/components/LiftTable";
import { authenticate } from "~/shopify.server";
import { shopDate, shopDateTime } from "~/shops/format";
import { shopProfile } from "~/shops/shop-profile.server";
import { StatusBadge } from "~/storefront/components/StatusBadge";

export const loader = reportingFailures(loadPage);

async function loadPage({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [results, profile, engagement] = await Promise.all([
    barResults(session.shop, params.id ?? ""),
    shopProfile(session.shop),
    barEngagementFor(session.shop, params.id ?? ""),
  ]);
  if (!results) throw new Response("This bar does not exist", { status: 404 });
  return { results, engagement, timeZone: profile.timeZone, currency: profile.currency };
}

const count = new Intl.NumberFormat("en-US");
const DAY_MS = 86_400_000;
const lift = `${Math.round(100 * PLANNED_RELATIVE_LIFT)} %`;

const VERDICT_TONES: Record<Call, BannerProps["tone"]> = {
  helps: "success",
  hurts: "critical",
  "too-early": "info",
  "no-clear-difference": "warning",
};

/** The verdict's headline: how many points, when there is a call to make. */
function verdictTitle(call: Call, pointsDifference: number) {
  const points = Math.abs(100 * pointsDifference).toFixed(1);
  if (call === "helps") return `The bar raised conversion by about ${points} points`;
  if (call === "hurts") return `The bar lowered conversion by about ${points} points`;
  return call === "too-early" ? "Too early to tell" : "No measurable effect";
}

/** What the plan asks for, in the merchant's words. */
function planSentence(plan: TestPlan) {
  const lifted = (100 * plan.baseline * (1 + PLANNED_RELATIVE_LIFT)).toFixed(1);
  return `To see a ${lift} rise in the share of customers who order (from ${(100 * plan.baseline).toFixed(1)} % to ${lifted} %) with a ${Math.round(100 * PLANNED_POWER)} % chance of seeing it if it is real, the test needs ${count.format(plan.heldOut)} held-out and ${count.format(plan.shown)} shown customers: ${plan.duration} at your volume.`;
}

const NO_PLAN = `At your volume a ${lift} rise in the share of customers who order would take more than ${HISTORY_WEEKS} weeks to see (or this audience placed no orders in the last ${HISTORY_WEEKS} weeks). A larger holdout or a wider audience shortens the test.`;

const NO_LAUNCH_AUDIENCE =
  "No customer was in this bar's audience when it went live, so there was no history to plan the test from: the verdict waits for an overwhelming difference.";

export default function BarResults() {
  const { results, engagement, timeZone, currency } = useLoaderData<typeof loader>();
  const { bar } = results;
  const editUrl = `/app/storefront/bars/${bar.id}`;
  return (
    <Page
      title={`Results: ${bar.name}`}
      titleMetadata={<StatusBadge status={bar.status} />}
      backAction={{ content: bar.name, url: editUrl }}
      secondaryActions={[{ content: "Edit bar", url: editUrl }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {results.kind === "no-holdout" && (
              <Card>
                <EmptyState
                  heading="This bar holds no one out"
                  action={{ content: "Set a holdout", url: editUrl }}
                  image=""
                >
                  <p>
                    To measure what the bar changes, keep a share of its audience from seeing it (10
                    % is usual) and compare their orders with everyone else&apos;s.
                  </p>
                </EmptyState>
              </Card>
            )}
            {results.kind === "not-started" && (
              <>
                <Card>
                  <EmptyState heading="No results yet" image="">
                    <p>
                      {bar.status === "off" || bar.status === "ended"
                        ? "This bar has not been live since its holdout was set. Switch it on (or extend its schedule) to start measuring."
                        : "Results appear once the bar is live with its holdout."}
                    </p>
                  </EmptyState>
                </Card>
                <TitledCard title="Test plan">
                  <Text as="p">{results.plan ? planSentence(results.plan) : NO_PLAN}</Text>
                  <Text as="p" tone="subdued">
                    {count.format(results.audience)} customers are in the bar&apos;s audience now,{" "}
                    {bar.holdoutPercent} % of them held out.
                  </Text>
                </TitledCard>
              </>
            )}
            {results.kind === "measured" && (
              <Measured lift={results.lift} timeZone={timeZone} currency={currency} />
            )}
            <BarViewsCard
              days={engagement.days}
              total={engagement.total}
              holdoutPercent={results.kind === "no-holdout" ? 0 : bar.holdoutPercent}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function TitledCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

type MeasuredLift = Extract<
  ReturnType<typeof useLoaderData<typeof loader>>["results"],
  { kind: "measured" }
>["lift"];

function Measured({
  lift: { window, report, verdict, plan, elapsedDays, shown, heldOut, launchCustomers },
  timeZone,
  currency,
}: {
  lift: MeasuredLift;
  timeZone: string;
  currency: string;
}) {
  const customers = shown.customers + heldOut.customers;
  const from = new Date(window.from);
  if (customers === 0)
    return (
      <Card>
        <EmptyState heading="No customers in this bar's audience yet" image="">
          <p>
            Since {shopDateTime(from, timeZone)} no customer has been in the segments this bar is
            for. Results appear once some are.
          </p>
        </EmptyState>
      </Card>
    );
  return (
    <>
      <Banner
        tone={VERDICT_TONES[verdict.call]}
        title={verdictTitle(verdict.call, report.conversion.difference)}
      >
        <p>{verdict.sentence}</p>
      </Banner>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Shown the bar and held out
          </Text>
          <LiftTable report={report} currency={currency} />
          <Text as="p" tone="subdued">
            Customers in the bar&apos;s audience from {shopDateTime(from, timeZone)} to{" "}
            {shopDateTime(new Date(window.to), timeZone)} ({Math.floor(elapsedDays)}{" "}
            {Math.floor(elapsedDays) === 1 ? "day" : "days"}), whether or not they visited; their
            orders in that time, cancelled and test orders left out.
          </Text>
        </BlockStack>
      </Card>
      <TitledCard title="Test plan">
        <Text as="p">
          {plan ? planSentence(plan) : launchCustomers === 0 ? NO_LAUNCH_AUDIENCE : NO_PLAN}
        </Text>
        {plan && (
          <List>
            <List.Item>
              Planned end: {shopDate(new Date(from.getTime() + plan.days * DAY_MS), timeZone)} (day{" "}
              {Math.min(Math.floor(elapsedDays), plan.days)} of {plan.days})
            </List.Item>
            <List.Item>
              Held out: {count.format(heldOut.customers)} of {count.format(plan.heldOut)} needed
            </List.Item>
            <List.Item>
              Shown: {count.format(shown.customers)} of {count.format(plan.shown)} needed
            </List.Item>
          </List>
        )}
        <Text as="p" tone="subdued">
          Until the planned end, only an overwhelming difference (99.9 % interval clear of zero)
          counts: looking every day would otherwise find effects that are not there.
        </Text>
      </TitledCard>
    </>
  );
}
