import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "~/domain/concurrency-limit";

describe("ConcurrencyLimit", () => {
  it("lets `limit` pieces of work run per key and refuses the next", () => {
    const limit = new ConcurrencyLimit(2);
    const first = limit.tryAcquire("a");
    const second = limit.tryAcquire("a");
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(limit.tryAcquire("a")).toBeNull();
    expect(limit.running("a")).toBe(2);
  });

  it("keeps keys apart", () => {
    const limit = new ConcurrencyLimit(1);
    expect(limit.tryAcquire("a")).not.toBeNull();
    expect(limit.tryAcquire("b")).not.toBeNull();
    expect(limit.tryAcquire("a")).toBeNull();
  });

  it("frees a slot on release, once however often release is called", () => {
    const limit = new ConcurrencyLimit(2);
    const release = limit.tryAcquire("a")!;
    limit.tryAcquire("a");
    release();
    release();
    expect(limit.running("a")).toBe(1);
    expect(limit.tryAcquire("a")).not.toBeNull();
    expect(limit.tryAcquire("a")).toBeNull();
  });
});
