// Apart from published.ts (which hashes with node:crypto) so the bar editor's browser code can use it.

/** Stable JSON (sorted object keys): equal data always gives equal text and digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
