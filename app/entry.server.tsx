import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { reportServerError } from "./errors/report.server";
import { logger } from "./logger.server";
import { startBackgroundWork } from "./pipeline.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

export const handleError: HandleErrorFunction = (error, { request }) =>
  reportServerError(error, request);

// The server process runs its share of the background work; tests drive the jobs themselves.
if (process.env.NODE_ENV !== "test")
  startBackgroundWork().catch((error: unknown) =>
    logger.error({ err: error }, "background jobs did not start"),
  );

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          reportServerError(error, request);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
