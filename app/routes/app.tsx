import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Link,
  Outlet,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Loading, SkeletonBodyText, SkeletonPage, Card, Layout } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import byWidthStyles from "~/components/by-width.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import type { ReactNode } from "react";
import { describeCaught, FailurePage } from "~/errors/FailurePage";
import { APP_NAV } from "~/navigation";
import { authenticate } from "~/shopify.server";
import { reportingFailures } from "~/errors/report.server";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: byWidthStyles },
];

export const loader = reportingFailures(loadPage);

async function loadPage({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return { apiKey: process.env.SHOPIFY_API_KEY || "" };
}

function EmbeddedShell({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {APP_NAV.map(({ href, label }, index) => (
          <Link key={href} to={href} rel={index === 0 ? "home" : undefined}>
            {label}
          </Link>
        ))}
      </NavMenu>
      {/* Polaris' Frame: toasts, the contextual save bar and the loading bar live in it. */}
      <Frame>{children}</Frame>
    </AppProvider>
  );
}

/**
 * Moving to another page shows the loading bar and a skeleton of the page at once, instead of
 * the old page standing still until the new one's data arrives.
 */
function PageOrSkeleton() {
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const leaving =
    navigation.state === "loading" &&
    !navigation.formMethod &&
    navigation.location.pathname !== pathname;
  if (!leaving) return <Outlet />;
  return (
    <>
      <Loading />
      <SkeletonPage primaryAction>
        <Layout>
          <Layout.Section>
            <Card>
              <SkeletonBodyText lines={6} />
            </Card>
          </Layout.Section>
        </Layout>
      </SkeletonPage>
    </>
  );
}

export default function EmbeddedApp() {
  const { apiKey } = useLoaderData<typeof loader>();
  return (
    <EmbeddedShell apiKey={apiKey}>
      <PageOrSkeleton />
    </EmbeddedShell>
  );
}

/**
 * Shopify needs Remix to catch some thrown responses (re-authentication), so that their headers
 * are included: `boundary.error` renders those. Failures and missing pages get the failure page,
 * inside the app's frame and navigation when the app itself loaded.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const app = useRouteLoaderData<typeof loader>("routes/app");
  const caught = describeCaught(error);
  if (!caught) return boundary.error(error);
  if (!app) throw error;
  return (
    <EmbeddedShell apiKey={app.apiKey}>
      <FailurePage {...caught} />
    </EmbeddedShell>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
