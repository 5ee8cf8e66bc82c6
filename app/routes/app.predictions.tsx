import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ResultToast } from "~/components/Feedback";
import { reportingFailures } from "~/errors/report.server";
import { BacktestTable } from "~/predictions/components/BacktestTable";
import { METHOD_SENTENCE } from "~/predictions/components/PredictionsCard";
import { predictionsOverview } from "~/predictions/overview.server";
import { pipeline } from "~/pipeline.server";
import { authenticate } from "~/shopify.server";
import { shopDate, shopDateTime, shopMoney } from "~/shops/format";
import { shopProfile } from "~/shops/shop-profile.server";
import { MethodBadge } from "~/predictions/components/MethodBadge";

export const loader = reportingFailures(loadPage);

/** The shop's predictions: which method and why, the backtest it was chosen on, the totals. */
async function loadPage({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [overview, profile] = await Promise.all([
    predictionsOverview(session.shop),
    shopProfile(session.shop),
  ]);
  return { ...overview, timeZone: profile.timeZone, currency: profile.currency };
}

export const action = reportingFailures(handleSubmission);

async function handleSubmission({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "refit")
    return Response.json({ message: "Unknown action.", error: true }, { status: 400 });
  const queued = await pipeline().refitPredictions(session.shop);
  return {
    message: queued
      ? "Refitting in the background; this page shows the new fit when it is done."
      : "A refit is already under way; this page shows it when it is done.",
  };
}

/**
 * "Refit now" and its progress: the fit shown when it was pressed is remembered, and the page's
 * data is reloaded every few seconds (for at most five minutes) until a newer fit is stored.
 */
function useRefit(fittedAt: string | null) {
  const refit = useFetcher<{ message: string }>();
  const revalidator = useRevalidator();
  const [pressed, setPressed] = useState<{ fittedAt: string | null; at: number } | null>(null);
  const waiting = pressed !== null && pressed.fittedAt === fittedAt;
  useEffect(() => {
    if (!waiting || refit.state !== "idle") return;
    const timer = setInterval(() => {
      if (Date.now() - pressed.at > REFIT_WAIT_MS) setPressed(null);
      else if (revalidator.state === "idle") revalidator.revalidate();
    }, REFIT_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, pressed, refit.state, revalidator]);
  return {
    answer: refit.data ?? null,
    busy: refit.state !== "idle" || waiting,
    press() {
      setPressed({ fittedAt, at: Date.now() });
      refit.submit({ intent: "refit" }, { method: "post" });
    },
  };
}

const REFIT_POLL_MS = 3000;
const REFIT_WAIT_MS = 5 * 60_000;

const count = new Intl.NumberFormat("en-US");
const decimals = (value: number, digits: number) =>
  new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(value);

export default function Predictions() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const { fit, totals, timeZone, currency } = data;
  const refit = useRefit(fit?.fittedAt ?? null);
  const refitAction = {
    content: refit.busy ? "Refitting…" : "Refit now",
    loading: refit.busy,
    onAction: refit.press,
  };
  return (
    <Page
      title="Predictions"
      subtitle="Who will buy again and who is slipping away, checked against your own store's history."
      backAction={{ content: "Segments", onAction: () => navigate("/app/segments") }}
      secondaryActions={fit ? [refitAction] : []}
    >
      <ResultToast result={refit.answer} />
      {!fit ? (
        <Card>
          <EmptyState heading="No predictions yet" action={refitAction} image="">
            <p>
              Predictions are refitted once a day from your customers&apos; orders. Each refit first
              checks itself on your last 90 days and tells you whether the model or a plain rule of
              thumb predicts your store better.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Method in use
                  </Text>
                  <MethodBadge method={fit.method} />
                </InlineStack>
                <Text as="p">{METHOD_SENTENCE[fit.method]}</Text>
                <List>
                  {fit.reasons.map((reason) => (
                    <List.Item key={reason}>{reason}</List.Item>
                  ))}
                </List>
                <Text as="p" tone="subdued" variant="bodySm">
                  Last refit {shopDateTime(fit.fittedAt, timeZone)}, from orders up to{" "}
                  {shopDateTime(fit.asOf, timeZone)} ({timeZone}). Refitted once a day.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  How well it did on your last {fit.backtest.horizonDays} days
                </Text>
                <Text as="p" tone="subdued">
                  Fitted on {count.format(fit.backtest.calibrationDays)} days of orders up to{" "}
                  {shopDate(fit.backtest.calibrationEnd, timeZone)}, then compared with what
                  happened next: {count.format(fit.backtest.customers)} customers,{" "}
                  {count.format(fit.backtest.holdoutBuyers)} of whom bought in those days.
                </Text>
                <BacktestTable
                  rows={fit.backtest.rows}
                  horizonDays={fit.backtest.horizonDays}
                  chosen={fit.method}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Your customers ahead
                  </Text>
                  <Text as="p">
                    {count.format(totals.customers)} customers predicted:{" "}
                    {decimals(totals.expectedOrders90d, 0)} orders expected in the next 90 days,{" "}
                    {shopMoney(BigInt(Math.round(totals.predictedSpend365dCents)), currency)} of
                    spend in the next 365.
                  </Text>
                  {data.segments.map((segment) => (
                    <Text as="p" key={segment.handle}>
                      <Link to={`/app/segments/${segment.handle}`}>{segment.name}</Link>:{" "}
                      {count.format(segment.members)} customers. {segment.description}
                    </Text>
                  ))}
                  <Text as="p" tone="subdued" variant="bodySm">
                    Thresholds are in Settings; custom segments can use expected orders, the chance
                    of still being a customer, predicted spend and days overdue.
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Fitted parameters
                  </Text>
                  <Text as="p" tone="subdued">
                    BG/NBD:{" "}
                    {fit.bgNbd.ok
                      ? `r ${decimals(fit.bgNbd.params.r, 3)}, α ${decimals(fit.bgNbd.params.alpha, 2)} days, a ${decimals(fit.bgNbd.params.a, 3)}, b ${decimals(fit.bgNbd.params.b, 3)}${fit.bgNbd.noDropout ? " (customers almost never drop out: every chance is about 100%)" : ""}`
                      : `not fitted, ${fit.bgNbd.message}`}
                  </Text>
                  <Text as="p" tone="subdued">
                    Gamma-Gamma:{" "}
                    {fit.gammaGamma.ok
                      ? `p ${decimals(fit.gammaGamma.params.p, 3)}, q ${decimals(fit.gammaGamma.params.q, 3)}; a typical purchase is worth ${shopMoney(BigInt(Math.round(fit.gammaGamma.typicalValueCents)), currency)}`
                      : `not fitted, ${fit.gammaGamma.message}`}
                  </Text>
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>
        </Layout>
      )}
    </Page>
  );
}

export function ErrorBoundary() {
  return (
    <Page title="Predictions">
      <Banner tone="critical" title="Predictions could not be loaded">
        <p>Your data is safe. Reload the page in a moment.</p>
      </Banner>
    </Page>
  );
}
