// What a merchant is told when a page fails. The server logs the failure's detail under a
// reference and sends only the reference (domain text, SQL and stack traces stay in the log), so
// support can find the log line the merchant quotes.

const REFERENCE = /\bref-[0-9a-f]{12}\b/;

/** A short reference for one failure, e.g. "ref-3f9c0a41b2de". */
export function newErrorReference(randomHex: () => string = () => crypto.randomUUID()) {
  return `ref-${randomHex().replace(/-/g, "").slice(0, 12)}`;
}

/** The only text of a server failure that leaves the server. */
export function failureMessage(reference: string) {
  return `Unexpected server error (${reference})`;
}

/** The reference inside a failure message, if there is one. */
export function referenceIn(message: unknown): string | null {
  return typeof message === "string" ? (REFERENCE.exec(message)?.[0] ?? null) : null;
}

export interface FailureNotice {
  title: string;
  /** What happened. */
  explanation: string;
  /** What the merchant can do about it. */
  advice: string;
}

export function failureNotice(kind: "not-found" | "server-error"): FailureNotice {
  if (kind === "not-found")
    return {
      title: "Page not found",
      explanation: "This page does not exist in Persegment, or what it showed has been deleted.",
      advice: "Go back to the overview and open it from the navigation.",
    };
  return {
    title: "Something went wrong",
    explanation: "Persegment could not show this page. Your data is safe; nothing was lost.",
    advice:
      "Reload the page in a moment. If it keeps happening, contact support and quote the reference below.",
  };
}
