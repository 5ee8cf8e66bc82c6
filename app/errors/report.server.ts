import { failureMessage, newErrorReference } from "~/domain/errors/failure";
import { logger } from "~/logger.server";

/** The Error behind a thrown value: itself, or the cause Remix keeps in its 404/405 responses. */
function errorBehind(thrown: unknown): Error | null {
  if (thrown instanceof Error) return thrown;
  const cause = (thrown as { error?: unknown } | null)?.error;
  return cause instanceof Error ? cause : null;
}

function statusOf(thrown: unknown): number | null {
  const status = (thrown as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/**
 * Logs a failure with its detail under a new reference, then strips the error down to that
 * reference, so that whatever Remix sends of it (name, message and stack, in development) holds
 * no SQL, database messages or file paths. Returns the reference.
 */
export function reportServerError(thrown: unknown, request: Request) {
  const reference = newErrorReference();
  const status = statusOf(thrown);
  const where = `${request.method} ${new URL(request.url).pathname}`;
  // A missing page is not a server failure: one line, no stack.
  if (status !== null && status < 500) logger.warn({ status, where, reference }, "request refused");
  else if (!request.signal.aborted) logger.error({ where, reference, err: thrown }, "server error");
  const error = errorBehind(thrown);
  if (error) stripTo(error, failureMessage(reference));
  return reference;
}

function stripTo(error: Error, message: string) {
  const fields = { name: "Error", message, stack: `Error: ${message}` };
  // defineProperty: some errors define name as a getter.
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(error, key, { value, configurable: true, writable: true });
}

/**
 * Wraps a page's loader or action: a failure becomes a 500 response carrying only its reference.
 * (Left to Remix, production sends a generic text without it; see reportServerError.) Thrown
 * responses pass: redirects, 404s, Shopify's re-authentication.
 */
export function reportingFailures<Args extends { request: Request }, Result>(
  handler: (args: Args) => Promise<Result>,
): (args: Args) => Promise<Result> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (thrown instanceof Response) throw thrown;
      const reference = reportServerError(thrown, args.request);
      throw Response.json({ message: failureMessage(reference) }, { status: 500 });
    }
  };
}
