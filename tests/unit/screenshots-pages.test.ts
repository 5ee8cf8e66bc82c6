// `npm run screenshots` and the admin bench cover every page of the embedded admin: each app.*
// route module in app/routes has an entry (pages, or why it has none), and no entry is stale.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ADMIN_ROUTES, adminPages, appRouteModules } from "../../scripts/screenshots-pages";

describe("admin pages for screenshots and the admin bench", () => {
  it("has an entry for every app.* route module, and none for a module that is gone", () => {
    const modules = appRouteModules();
    expect(modules).toContain("app._index");
    expect(Object.keys(ADMIN_ROUTES).sort()).toEqual(modules);
  });

  it("refuses a routes folder with a page it does not know", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "routes-"));
    for (const name of appRouteModules()) writeFileSync(path.join(dir, `${name}.tsx`), "");
    expect(adminPages(dir).length).toBeGreaterThan(0);
    writeFileSync(path.join(dir, "app.customers.tsx"), "");
    mkdirSync(path.join(dir, "app.reports"));
    expect(() => adminPages(dir)).toThrow(/app\.customers, app\.reports/);
  });

  it("names each page once and marks the README's main ones", () => {
    const names = adminPages().map((page) => page.name);
    expect(new Set(names).size).toBe(names.length);
    expect(
      adminPages()
        .filter((page) => page.main)
        .map((page) => page.name),
    ).toEqual(["home", "segment", "bar-editor"]);
  });
});
