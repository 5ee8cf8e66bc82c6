// Every segment template is a rule the validator accepts (saving a template never fails), and
// every suggestion for a built-in segment names a segment that exists.
import { describe, expect, it } from "vitest";
import { BUILT_IN_HANDLES } from "~/domain/segments/catalog";
import { validateRule } from "~/domain/segments/rules";
import { BUILT_IN_SUGGESTIONS, SEGMENT_TEMPLATES } from "~/domain/segments/templates";

describe("segment templates", () => {
  it.each(SEGMENT_TEMPLATES.map((template) => [template.id, template] as const))(
    "%s is a valid rule with a suggested action",
    (_id, template) => {
      expect(validateRule(template.rule)).toMatchObject({ ok: true });
      expect(template.action.label.length).toBeGreaterThan(0);
    },
  );

  it("have distinct ids and names", () => {
    expect(new Set(SEGMENT_TEMPLATES.map((t) => t.id)).size).toBe(SEGMENT_TEMPLATES.length);
    expect(new Set(SEGMENT_TEMPLATES.map((t) => t.name)).size).toBe(SEGMENT_TEMPLATES.length);
  });

  it("suggest next steps only for built-in segments that exist", () => {
    const builtIn = new Set<string>(BUILT_IN_HANDLES);
    for (const handle of Object.keys(BUILT_IN_SUGGESTIONS)) expect(builtIn).toContain(handle);
  });
});
