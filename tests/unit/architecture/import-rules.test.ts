// The import rules (.dependency-cruiser.cjs, run by `npm run lint`) hold for app/, and they do
// fail on the imports they forbid: a small app/ of three files is cruised with the same rules.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = process.cwd();
const depcruise = path.join(root, "node_modules/.bin/depcruise");
const config = path.join(root, ".dependency-cruiser.cjs");
const scratch = mkdtempSync(path.join(tmpdir(), "import-rules-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cruise(cwd: string) {
  const result = spawnSync(depcruise, ["app", "--config", config, "--output-type", "err"], {
    cwd,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function files(tree: Record<string, string>) {
  const dir = mkdtempSync(path.join(scratch, "app-"));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: {} }));
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("import rules", () => {
  it("hold for app/", () => {
    const { status, output } = cruise(root);
    expect(output).toContain("no dependency violations");
    expect(status).toBe(0);
  }, 60_000);

  it("fail on a cycle, a model reaching a service and an impure domain", () => {
    const { status, output } = cruise(
      files({
        "app/models/customers.server.ts": `import { sync } from "../sync/jobs.server";\nexport const customers = () => sync;\n`,
        "app/sync/jobs.server.ts": `import { customers } from "../models/customers.server";\nexport const sync = () => customers;\n`,
        "app/domain/rules.ts": `import { customers } from "../models/customers.server";\nexport const rules = customers;\n`,
      }),
    );
    expect(status).not.toBe(0);
    for (const rule of [
      "no-circular",
      "no-folder-cycles",
      "models-below-services",
      "domain-is-pure",
    ])
      expect(output, rule).toContain(rule);
  }, 60_000);

  it("fail when a service reaches up to the pipeline or a route", () => {
    const { status, output } = cruise(
      files({
        "app/pipeline.server.ts": `export const pipeline = 1;\n`,
        "app/routes/app.tsx": `export const route = 1;\n`,
        "app/tags/writer.server.ts": `import { pipeline } from "../pipeline.server";\nimport { route } from "../routes/app";\nexport const w = [pipeline, route];\n`,
      }),
    );
    expect(status).not.toBe(0);
    for (const rule of [
      "services-below-the-pipeline",
      "only-the-top-wires-the-pipeline",
      "routes-are-entry-points",
    ])
      expect(output, rule).toContain(rule);
  }, 60_000);
});
