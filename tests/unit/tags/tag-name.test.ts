import { describe, expect, it } from "vitest";
import { checkShopifyTag, checkTagPrefix, segmentTag, splitTags } from "~/domain/tags/tag-name";

describe("segment tag names", () => {
  it("joins the shop's prefix and the segment handle", () => {
    expect(segmentTag("seg-", "champions")).toEqual({ ok: true, tag: "seg-champions" });
    expect(segmentTag("", "vip")).toEqual({ ok: true, tag: "vip" });
  });

  it("accepts a tag of exactly 255 characters and refuses 256 with the length in the error", () => {
    expect(checkShopifyTag("a".repeat(255)).ok).toBe(true);
    const result = checkShopifyTag("a".repeat(256));
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/256 characters long; Shopify allows at most 255/);
    expect(segmentTag("seg-", "x".repeat(252)).ok).toBe(false);
  });

  it("refuses commas, surrounding spaces, control characters and empty tags with clear errors", () => {
    const error = (tag: string) => {
      const result = checkShopifyTag(tag);
      return result.ok ? null : result.error;
    };
    expect(error("seg-a,b")).toMatch(/comma/);
    expect(error(" seg-a")).toMatch(/start or end with a space/);
    expect(error("seg-a ")).toMatch(/start or end with a space/);
    expect(error("seg-\na")).toMatch(/control character/);
    expect(error("")).toMatch(/empty/);
    expect(error("Stammkunde ★ ü")).toBeNull();
  });

  it("validates the prefix on its own", () => {
    expect(checkTagPrefix("seg-").ok).toBe(true);
    expect(checkTagPrefix("a,b").ok).toBe(false);
    expect(checkTagPrefix(" seg").ok).toBe(false);
    expect(checkTagPrefix("p".repeat(255)).ok).toBe(false);
    expect(segmentTag("a,", "vip")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/prefix/),
    });
  });

  it("splits stored comma-joined tags", () => {
    expect(splitTags("a, b ,,c")).toEqual(["a", "b", "c"]);
    expect(splitTags(["x ", " y"])).toEqual(["x", "y"]);
    expect(splitTags("")).toEqual([]);
  });
});
