import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, validate, type GraphQLSchema, Kind, type OperationDefinitionNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { ordersBulkQuery } from "~/shopify/operations/sync-bulk-queries";
import { adminSchema, requestedCost } from "@persegment/shopify-stand-in";

// Every exported string of every module in app/shopify/operations, found at run time, so
// operations added later are validated without touching this test.
const modules = import.meta.glob("../../../app/shopify/operations/**/*.ts", { eager: true });
const documents = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, text]) => ({ id: `${path.basename(file)}:${name}`, text })),
);

let schema: GraphQLSchema;

beforeAll(() => {
  schema = adminSchema();
});

function operationNames(text: string) {
  return parse(text)
    .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => ("name" in d ? d.name?.value : undefined));
}

describe("Admin GraphQL operations in app/shopify/operations", () => {
  it("finds the operation modules", () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  it.each(documents)(`$id is valid against the ${ADMIN_API_VERSION} Admin schema`, ({ text }) => {
    expect(text.trimStart().startsWith("#graphql")).toBe(true);
    const errors = validate(schema, parse(text)).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  // Shopify refuses a query whose requested cost is above 1,000 points (MAX_COST_EXCEEDED), so
  // every query must fit even when a page-size variable is at its largest (250).
  it.each(documents)("$id fits Shopify's 1,000-point query limit", ({ text }) => {
    const document = parse(text);
    for (const operation of document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )) {
      const pageSizes = Object.fromEntries(
        (operation.variableDefinitions ?? [])
          .filter((v) => /^(first|last|pageSize|limit)$/i.test(v.variable.name.value))
          .map((v) => [v.variable.name.value, 250]),
      );
      expect(requestedCost(schema, document, operation, pageSizes)).toBeLessThanOrEqual(1000);
    }
  });

  it("keeps the sliced orders export valid", () => {
    const text = ordersBulkQuery(
      "created_at:>='2026-01-01T00:00:00.000Z' created_at:<'2026-06-01T00:00:00.000Z'",
    );
    expect(text).toContain(`orders(query: "created_at:>='2026-01-01T00:00:00.000Z'`);
    expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
  });

  it("names every operation, each name once", () => {
    const names = documents.flatMap(({ text }) => operationNames(text));
    expect(names.filter((name) => !name)).toEqual([]);
    expect(names.length).toBe(new Set(names).size);
  });

  it("keeps every #graphql document of the app in app/shopify/operations", () => {
    const appDir = new URL("../../../app/", import.meta.url).pathname;
    const strays: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (full !== path.join(appDir, "shopify/operations")) walk(full);
        } else if (/\.tsx?$/.test(entry.name) && readFileSync(full, "utf8").includes("#graphql"))
          strays.push(path.relative(appDir, full));
      }
    };
    walk(appDir);
    expect(strays).toEqual([]);
  });

  it("rejects a document with a field Shopify does not have (the check can fail)", () => {
    const bad = parse("query Bad { customers(first: 1) { nodes { id noSuchField } } }");
    expect(
      validate(schema, bad)
        .map((e) => e.message)
        .join(),
    ).toContain("noSuchField");
  });
});
