import { isRouteErrorResponse, useLocation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { failureNotice, referenceIn } from "~/domain/errors/failure";

export type FailureKind = "not-found" | "server-error";

export interface Caught {
  kind: FailureKind;
  reference: string | null;
}

/**
 * How a caught error is shown: a missing page, or a failure with the reference the server sent
 * (reportingFailures' response, or an error's message). Null for other responses, such as
 * Shopify's re-authentication, which are not failures.
 */
export function describeCaught(error: unknown): Caught | null {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return { kind: "not-found", reference: null };
    const reference = referenceIn((error.data as { message?: unknown } | null)?.message);
    return reference ? { kind: "server-error", reference } : null;
  }
  return {
    kind: "server-error",
    reference: error instanceof Error ? referenceIn(error.message) : null,
  };
}

/** A failed or missing page: what happened, what to do, the reference and the way back. */
export function FailurePage({ kind, reference }: { kind: FailureKind; reference: string | null }) {
  const notice = failureNotice(kind);
  // The query string carries the shop and host the embedded app authenticates with.
  const { search } = useLocation();
  return (
    <Page title={notice.title}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p">{notice.explanation}</Text>
              <Text as="p">{notice.advice}</Text>
              {reference && (
                <Text as="p" tone="subdued">
                  Reference: {reference}
                </Text>
              )}
              <InlineStack>
                <Button url={`/app${search}`} variant="primary">
                  Back to the overview
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
