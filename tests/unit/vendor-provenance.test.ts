// Third-party data in vendor/ is kept exactly as its SOURCE.md describes: every file listed with
// its size and sha256, and nothing unlisted.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/shopify/api-version";

const folder = fileURLToPath(new URL("../../vendor/shopify/", import.meta.url));
const FILE_ROW = /^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|$/;

const listed = readFileSync(path.join(folder, "SOURCE.md"), "utf8")
  .split("\n")
  .flatMap((line) => {
    const match = FILE_ROW.exec(line);
    return match ? [{ file: match[1], bytes: Number(match[2]), sha256: match[3] }] : [];
  });

describe("vendor/shopify", () => {
  it("lists every vendored file in SOURCE.md", () => {
    const present = readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name !== "SOURCE.md")
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
      .sort();
    expect(listed.map((row) => row.file).sort()).toEqual(present);
    expect(present).toContain(`admin-${ADMIN_API_VERSION}.graphql`);
  });

  it.each(listed)("$file matches its recorded size and sha256", ({ file, bytes, sha256 }) => {
    const content = readFileSync(path.join(folder, file));
    expect(content.length).toBe(bytes);
    expect(createHash("sha256").update(content).digest("hex")).toBe(sha256);
  });
});
