/**
 * Shopify customer tag rules (research/shopify-platform.md §3): at most 255 characters, no commas
 * (Shopify splits a tag string at commas), no leading/trailing spaces (Shopify trims them, so the
 * tag written would differ from the one in the ledger) and no control characters.
 */
export const MAX_TAG_LENGTH = 255;
export const DEFAULT_TAG_PREFIX = "seg-";

export type TagCheck = { ok: true; tag: string } | { ok: false; error: string };

function hasControlCharacter(value: string) {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function preview(value: string) {
  return value.length > 40 ? `${value.slice(0, 37)}…` : value;
}

/** Checks one tag exactly as it would be sent to tagsAdd; the error says what to change. */
export function checkShopifyTag(tag: string): TagCheck {
  if (tag.trim().length === 0) return { ok: false, error: "A tag cannot be empty." };
  if (tag !== tag.trim())
    return { ok: false, error: `Tag "${preview(tag)}" cannot start or end with a space.` };
  if (tag.includes(","))
    return {
      ok: false,
      error: `Tag "${preview(tag)}" contains a comma; Shopify splits tags at commas.`,
    };
  if (hasControlCharacter(tag))
    return {
      ok: false,
      error: `Tag "${preview(tag)}" contains a line break or control character.`,
    };
  if (tag.length > MAX_TAG_LENGTH)
    return {
      ok: false,
      error: `Tag "${preview(tag)}" is ${tag.length} characters long; Shopify allows at most ${MAX_TAG_LENGTH}.`,
    };
  return { ok: true, tag };
}

/** Checks a shop's tag prefix: it may be empty, but must not make every tag invalid. */
export function checkTagPrefix(prefix: string): TagCheck {
  if (prefix.length === 0) return { ok: true, tag: prefix };
  if (prefix !== prefix.trimStart())
    return { ok: false, error: "The tag prefix cannot start with a space." };
  if (prefix.includes(",")) return { ok: false, error: "The tag prefix cannot contain a comma." };
  if (hasControlCharacter(prefix))
    return { ok: false, error: "The tag prefix cannot contain line breaks or control characters." };
  if (prefix.length >= MAX_TAG_LENGTH)
    return {
      ok: false,
      error: `The tag prefix is ${prefix.length} characters long; tags may have at most ${MAX_TAG_LENGTH}.`,
    };
  return { ok: true, tag: prefix };
}

/** The tag a segment writes: `<prefix><handle>` (PRODUCT.md §5), validated. */
export function segmentTag(prefix: string, handle: string): TagCheck {
  const prefixCheck = checkTagPrefix(prefix);
  if (!prefixCheck.ok) return prefixCheck;
  if (handle.length === 0) return { ok: false, error: "The segment has no handle." };
  return checkShopifyTag(`${prefix}${handle}`);
}

/** Shopify compares tags case-insensitively; so does the app when matching existing tags. */
export function tagKey(tag: string) {
  return tag.toLowerCase();
}

/** Customer.tags as stored (comma-joined, as Shopify's REST payloads send it) to a list. */
export function splitTags(tags: string | readonly string[]): string[] {
  const list = typeof tags === "string" ? tags.split(",") : [...tags];
  return list.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}
