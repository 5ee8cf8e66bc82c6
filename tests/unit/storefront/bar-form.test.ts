import { describe, expect, it } from "vitest";
import {
  barFromForm,
  fieldsFromSubmission,
  formFieldOf,
  formFromBar,
  parseAmount,
} from "~/domain/storefront/bar-form";
import { DEFAULT_BAR, validateBar, type BarDefinition } from "~/domain/storefront/bars";
import { previewPersonas } from "~/domain/storefront/personas";
import { validateOverrides } from "~/domain/upsell/overrides";

const segments = [{ handle: "champions", name: "Champions", tagEnabled: true }];

describe("bar editor form", () => {
  it("reads amounts in major units exactly", () => {
    expect(parseAmount("50")).toBe(5000);
    expect(parseAmount("49.9")).toBe(4990);
    expect(parseAmount("49,95")).toBe(4995);
    expect(parseAmount("0.07")).toBe(7);
    for (const bad of ["", "fifty", "1.999", "-5", "1e3"]) expect(parseAmount(bad), bad).toBeNaN();
  });

  it("round-trips a bar through the form fields", () => {
    const bar: BarDefinition = {
      name: "Ship free",
      enabled: true,
      priority: 30,
      kind: "free-shipping",
      defaultLocale: "de",
      messages: { de: "Noch {amount}", en: "Only {amount}" },
      reachedMessages: { de: "Gratis!" },
      link: "/pages/shipping",
      colors: { background: "#0a0a0a", text: "#fafafa" },
      audience: { segments: ["champions"], countries: ["DE", "AT"], visitors: "guests" },
      schedule: { startsAt: "2026-12-01T08:00:00.000Z", endsAt: null },
      thresholds: [
        { countries: ["DE", "AT"], currency: "EUR", amountCents: 4500 },
        { countries: [], currency: "USD", amountCents: 9999 },
      ],
      holdout: { percent: 0, start: null, since: null },
    };
    const fields = formFromBar(bar);
    expect(fields).toMatchObject({
      "threshold.1.amount": "99.99",
      countries: "DE, AT",
      startsAt: "2026-12-01T08:00",
    });
    const result = validateBar(barFromForm(fields, ["champions"]), segments);
    expect(result).toEqual({ ok: true, value: bar });
  });

  it("reads the holdout share; where it sits is not the form's to say", () => {
    const fields = { ...formFromBar({ ...DEFAULT_BAR, name: "x", messages: { en: "Hi" } }) };
    expect(fields.holdoutPercent).toBe("10");
    const read = (holdoutPercent: string) =>
      validateBar(barFromForm({ ...fields, holdoutPercent }, []), segments);
    expect(read(" 25 ")).toMatchObject({
      ok: true,
      value: { holdout: { percent: 25, start: null, since: null } },
    });
    expect(read("")).toMatchObject({
      ok: false,
      errors: { "holdout.percent": expect.any(String) },
    });
    expect(read("51")).toMatchObject({
      ok: false,
      errors: { "holdout.percent": "Hold out at most 50 % of the audience" },
    });
    expect(read("2.5")).toMatchObject({
      ok: false,
      errors: { "holdout.percent": "Use a whole percentage" },
    });
    expect(formFieldOf("holdout.percent")).toBe("holdoutPercent");
  });

  it("reads the Show checkbox by presence, as a browser submits it", () => {
    // React can render a checked box with an empty value: it is sent as "enabled=" and is on.
    const checked = new URLSearchParams("name=Sale&enabled=&segments=vip&segments=champions");
    expect(fieldsFromSubmission(checked.entries())).toEqual({ name: "Sale", enabled: "on" });
    const unchecked = new URLSearchParams("name=Sale&segments=vip");
    expect(fieldsFromSubmission(unchecked.entries())).toEqual({ name: "Sale", enabled: "" });
    const bar = (query: string) =>
      barFromForm(fieldsFromSubmission(new URLSearchParams(query).entries()), []);
    expect(bar("enabled=")).toMatchObject({ enabled: true });
    expect(bar("enabled=on")).toMatchObject({ enabled: true });
    expect(bar("name=x")).toMatchObject({ enabled: false });
  });

  it("maps validation paths to the form's field names", () => {
    expect(formFieldOf("messages.de")).toBe("message.de");
    expect(formFieldOf("thresholds.1.amountCents")).toBe("threshold.1.amount");
    expect(formFieldOf("thresholds")).toBe("threshold.0.amount");
    expect(formFieldOf("audience.segments.0")).toBe("segments");
    expect(formFieldOf("colors.text")).toBe("text");
    expect(formFieldOf("schedule.endsAt")).toBe("endsAt");
  });
});

describe("preview personas", () => {
  it("put the near-threshold cart 5.00 under the first US threshold and use the shop's tag prefix", () => {
    const personas = previewPersonas(
      {
        version: 1,
        bars: [
          {
            id: "b",
            kind: "free_shipping",
            priority: 1,
            messages: [],
            reached: [],
            link: "",
            background: "#000000",
            color: "#ffffff",
            tags: [],
            countries: [],
            visitors: "everyone",
            starts_at: 0,
            ends_at: 0,
            thresholds: [{ countries: ["US"], currency: "USD", amount: 7500 }],
            holdout_percent: 0,
            holdout_start: 0,
          },
        ],
        boundary: 0,
      },
      "vip_",
    );
    expect(
      personas.find((persona) => persona.id === "near-free-shipping")!.visitor.cartTotalCents,
    ).toBe(7000);
    expect(personas.find((persona) => persona.id === "champion")!.visitor.customerTags).toContain(
      "vip_champions",
    );
  });
});

describe("upsell overrides", () => {
  const products = new Map([
    ["A", { status: "ACTIVE" }],
    ["B", { status: "ACTIVE" }],
    ["C", { status: "DRAFT" }],
  ]);

  it("accepts pins and exclusions of known products, without duplicates", () => {
    expect(validateOverrides("A", { pinned: ["B", "B"], excluded: ["C"] }, products)).toEqual({
      ok: true,
      value: { pinned: ["B"], excluded: ["C"] },
    });
  });

  it("refuses self, unknown, inactive and contradictory picks", () => {
    const errorsOf = (pinned: string[], excluded: string[]) => {
      const result = validateOverrides("A", { pinned, excluded }, products);
      return result.ok ? {} : result.errors;
    };
    expect(errorsOf(["A"], []).pinned).toMatch(/itself/);
    expect(errorsOf(["Z"], []).pinned).toMatch(/Unknown product Z/);
    expect(errorsOf(["C"], []).pinned).toMatch(/not active/);
    expect(errorsOf(["B"], ["B"]).excluded).toMatch(/both pinned and excluded/);
    expect(errorsOf([], ["Q"]).excluded).toMatch(/Unknown product Q/);
  });
});
