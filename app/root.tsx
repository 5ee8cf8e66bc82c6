import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import type { ReactNode } from "react";
import { describeCaught, FailurePage } from "~/errors/FailurePage";

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Failures outside the embedded pages (and unknown URLs): Remix's default would show a stack. */
export function ErrorBoundary() {
  const caught = describeCaught(useRouteError()) ?? { kind: "server-error", reference: null };
  return (
    <>
      <link rel="stylesheet" href={polarisStyles} />
      <AppProvider i18n={polarisTranslations}>
        <FailurePage {...caught} />
      </AppProvider>
    </>
  );
}
