import { describe, expect, it } from "vitest";
import {
  failureMessage,
  failureNotice,
  newErrorReference,
  referenceIn,
} from "~/domain/errors/failure";

describe("failure references", () => {
  it("are short, distinct and found again in the message sent to the browser", () => {
    const reference = newErrorReference();
    expect(reference).toMatch(/^ref-[0-9a-f]{12}$/);
    expect(newErrorReference()).not.toBe(reference);
    expect(referenceIn(failureMessage(reference))).toBe(reference);
  });

  it("are absent from Remix's production text and from anything not a string", () => {
    expect(referenceIn("Unexpected Server Error")).toBeNull();
    expect(referenceIn(undefined)).toBeNull();
  });
});

describe("failure notices", () => {
  it("say what happened and what to do, without server detail", () => {
    for (const kind of ["not-found", "server-error"] as const) {
      const notice = failureNotice(kind);
      expect(notice.title).not.toBe("");
      expect(notice.advice).not.toBe("");
    }
    expect(failureNotice("not-found").title).toBe("Page not found");
  });
});
