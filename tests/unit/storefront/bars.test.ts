import { describe, expect, it } from "vitest";
import {
  barConfig,
  DEFAULT_BAR,
  sameBar,
  validateBar,
  type BarDefinition,
  type StoredBar,
  withPlacedHoldout,
} from "~/domain/storefront/bars";
import { contrastRatio } from "~/domain/storefront/colors";
import { canonicalJson } from "~/domain/storefront/canonical-json";
import { metafieldDigest, publishedBars } from "~/domain/storefront/published";

const segments = [
  { handle: "champions", name: "Champions", tagEnabled: true },
  { handle: "vip", name: "VIP", tagEnabled: false },
];

const bar = (changes: Partial<BarDefinition> = {}): BarDefinition => ({
  ...DEFAULT_BAR,
  name: "Welcome",
  messages: { en: "Hello" },
  ...changes,
});

const freeShipping = (changes: Partial<BarDefinition> = {}) =>
  bar({
    kind: "free-shipping",
    messages: { en: "Only {amount} to go", de: "Noch {amount}" },
    reachedMessages: { en: "Free shipping!" },
    thresholds: [{ countries: ["US"], currency: "USD", amountCents: 5000 }],
    ...changes,
  });

function errorsOf(input: unknown) {
  const result = validateBar(input, segments);
  if (result.ok) throw new Error("expected validation errors");
  return result.errors;
}

describe("bar validation", () => {
  it("writes schedule dates one way, and a bar saved unchanged is the same bar", () => {
    const written = bar({
      schedule: { startsAt: "2020-01-01T00:00:00Z", endsAt: "2020-01-02T01:00:00+01:00" },
      audience: { segments: ["champions", "vip"], countries: ["US"], visitors: "everyone" },
    });
    const result = validateBar(written, [{ ...segments[1], tagEnabled: true }, segments[0]]);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.schedule).toEqual({
      startsAt: "2020-01-01T00:00:00.000Z",
      endsAt: "2020-01-02T00:00:00.000Z",
    });
    expect(sameBar(written, result.value)).toBe(true);
    // As the bars model rebuilds a stored bar: the columns after the config.
    const { name, enabled, priority, ...config } = written;
    expect(sameBar({ ...config, name, enabled, priority }, result.value)).toBe(true);
    const reordered = {
      ...written,
      audience: { ...written.audience, segments: ["vip", "champions"] },
    };
    expect(sameBar(written, reordered)).toBe(true);
    expect(sameBar(written, { ...written, enabled: false })).toBe(false);
    expect(sameBar(written, { ...written, schedule: { startsAt: null, endsAt: null } })).toBe(
      false,
    );
    expect(
      sameBar(written, { ...written, audience: { ...written.audience, countries: ["US", "DE"] } }),
    ).toBe(false);
  });

  it("accepts a complete bar and normalises duplicates", () => {
    const result = validateBar(
      bar({
        audience: {
          segments: ["champions", "champions"],
          countries: ["US", "US"],
          visitors: "logged-in",
        },
      }),
      segments,
    );
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.value.audience).toEqual({
        segments: ["champions"],
        countries: ["US"],
        visitors: "logged-in",
      });
  });

  it("computes WCAG contrast and refuses unreadable colours", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    const errors = errorsOf(bar({ colors: { background: "#ffffff", text: "#777777" } }));
    expect(errors["colors.text"]).toMatch(/contrast of at least 4.5:1 .*4\.48:1/);
    expect(
      errorsOf(bar({ colors: { background: "white", text: "#000000" } }))["colors.background"],
    ).toMatch(/#1a1a1a/);
  });

  it("refuses links that are not store paths or https addresses", () => {
    for (const link of [
      "javascript:alert(1)",
      "//evil.example",
      "http://plain.example",
      "data:text/html,x",
      "/\\evil.example",
      "/\\/evil.example",
      "https://shop.example\\@evil.example",
    ])
      expect(errorsOf(bar({ link }))["link"], link).toMatch(/store path/);
    for (const link of ["/collections/sale", "https://example.com/x?y=1", ""])
      expect(validateBar(bar({ link }), segments).ok, link).toBe(true);
  });

  it("needs the default language, a sane schedule and known, tagged segments", () => {
    expect(errorsOf(bar({ messages: { de: "Hallo" } }))["messages.en"]).toMatch(/default language/);
    expect(
      errorsOf(
        bar({ schedule: { startsAt: "2026-05-02T00:00:00Z", endsAt: "2026-05-01T00:00:00Z" } }),
      )["schedule.endsAt"],
    ).toMatch(/after the start/);
    expect(
      errorsOf(bar({ schedule: { startsAt: "soon", endsAt: null } }))["schedule.startsAt"],
    ).toMatch(/valid date/);
    const errors = errorsOf(
      bar({ audience: { segments: ["vip", "ghosts"], countries: ["usa"], visitors: "everyone" } }),
    );
    expect(errors["audience.countries.0"]).toMatch(/two-letter/);
    const segmentErrors = errorsOf(
      bar({ audience: { segments: ["vip", "ghosts"], countries: [], visitors: "everyone" } }),
    );
    expect(segmentErrors["audience.segments.0"]).toMatch(/Turn on tagging for "VIP"/);
    expect(segmentErrors["audience.segments.1"]).toMatch(/no segment "ghosts"/);
  });

  it("checks free-shipping bars: placeholder in every language, reached message, thresholds per market", () => {
    expect(validateBar(freeShipping(), segments).ok).toBe(true);
    const errors = errorsOf(
      freeShipping({
        messages: { en: "Free shipping soon", de: "Noch {amount}" },
        reachedMessages: {},
        thresholds: [
          { countries: ["US"], currency: "USD", amountCents: 5000 },
          { countries: ["US"], currency: "USD", amountCents: 7000 },
          { countries: [], currency: "usd", amountCents: 0 },
        ],
      }),
    );
    expect(errors["messages.en"]).toMatch(/\{amount\}/);
    expect(errors["messages.de"]).toBeUndefined();
    expect(errors["thresholds.2.currency"]).toMatch(/three-letter/);
    expect(errors["thresholds.2.amountCents"]).toMatch(/above zero/);
    expect(errorsOf(freeShipping({ thresholds: [] }))["thresholds"]).toMatch(/at least one market/);
    const duplicate = errorsOf(
      freeShipping({
        thresholds: [
          { countries: ["US", "CA"], currency: "USD", amountCents: 5000 },
          { countries: ["CA", "US"], currency: "USD", amountCents: 7000 },
        ],
      }),
    );
    expect(duplicate["thresholds.1"]).toMatch(/same countries/);
    expect(errorsOf(freeShipping({ reachedMessages: {} }))["reachedMessages.en"]).toMatch(
      /shipping is free/,
    );
  });

  it("rejects input that is not a bar at all without throwing", () => {
    expect(Object.keys(errorsOf(null)).length).toBeGreaterThan(0);
    expect(errorsOf({ ...bar(), priority: 1.5 })["priority"]).toMatch(/whole number/);
  });
});

describe("published bars", () => {
  const stored = (
    id: string,
    definition: BarDefinition,
    createdAt = "2026-01-01T00:00:00Z",
  ): StoredBar => {
    const result = validateBar(definition, segments);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return {
      id,
      name: definition.name,
      enabled: definition.enabled,
      priority: definition.priority,
      config: barConfig(result.value),
      createdAt: new Date(createdAt),
    };
  };

  it("lists enabled bars best first with segment tags, Unix times and the default language first", () => {
    const published = publishedBars(
      [
        stored("low", bar({ priority: 1 })),
        stored("off", bar({ priority: 99, enabled: false })),
        stored("later", bar({ priority: 5 }), "2026-02-01T00:00:00Z"),
        stored(
          "first",
          freeShipping({
            priority: 5,
            defaultLocale: "de",
            messages: { en: "Only {amount}", de: "Noch {amount}", fr: "Plus que {amount}" },
            reachedMessages: { de: "Gratis!" },
            audience: { segments: ["champions"], countries: ["DE"], visitors: "guests" },
            schedule: { startsAt: "2026-05-01T00:00:00Z", endsAt: null },
            thresholds: [
              { countries: [], currency: "EUR", amountCents: 6000 },
              { countries: ["DE"], currency: "EUR", amountCents: 4500 },
            ],
          }),
        ),
      ],
      "seg-",
      new Date("2026-06-01T00:00:00Z"),
    );
    expect(published.bars.map((entry) => entry.id)).toEqual(["first", "later", "low"]);
    // The start of "first" (May 1st) is the last boundary passed by June 1st.
    expect(published.boundary).toBe(Date.parse("2026-05-01T00:00:00Z") / 1000);
    expect(published.bars[0]).toEqual({
      id: "first",
      kind: "free_shipping",
      priority: 5,
      messages: [
        { locale: "de", text: "Noch {amount}" },
        { locale: "en", text: "Only {amount}" },
        { locale: "fr", text: "Plus que {amount}" },
      ],
      reached: [{ locale: "de", text: "Gratis!" }],
      link: "",
      background: "#1a1a1a",
      color: "#ffffff",
      tags: ["seg-champions"],
      countries: ["DE"],
      visitors: "guest",
      starts_at: Date.parse("2026-05-01T00:00:00Z") / 1000,
      ends_at: 0,
      thresholds: [
        { countries: ["DE"], currency: "EUR", amount: 4500 },
        { countries: [], currency: "EUR", amount: 6000 },
      ],
      // A bar for guests only has no holdout: guests are never held out.
      holdout_percent: 0,
      holdout_start: 0,
    });
  });

  it("places each bar's holdout beside the others', keeps a place that still fits, and says when none does", () => {
    const saved: StoredBar[] = [];
    let day = 0;
    const on = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString();
    const save = (id: string, definition: BarDefinition) => {
      const placed = withPlacedHoldout(definition, id, saved, new Date(on(++day)));
      if (!placed.ok) return placed.errors["holdout.percent"];
      saved.splice(0, saved.length, ...saved.filter((other) => other.id !== id));
      saved.push({ ...stored(id, placed.value), config: barConfig(placed.value) });
      return placed.value.holdout;
    };
    const withHoldout = (percent: number) =>
      bar({ holdout: { percent, start: null, since: null } });
    expect(save("a", withHoldout(10))).toEqual({ percent: 10, start: 0, since: on(1) });
    expect(save("b", withHoldout(30))).toEqual({ percent: 30, start: 10, since: on(2) });
    expect(save("c", withHoldout(0))).toEqual({ percent: 0, start: null, since: null });
    // Raising a's share keeps its first slots only if the arc stays free: 0–9 are, 10+ are b's.
    expect(save("a", withHoldout(15))).toEqual({ percent: 15, start: 40, since: on(4) });
    // d's arc goes round: slots 55–99 and 0–4.
    expect(save("d", withHoldout(50))).toEqual({ percent: 50, start: 55, since: on(5) });
    expect(save("e", withHoldout(11))).toBe(
      "Your other bars' holdouts leave room for 5 % here (a customer is held out of one bar at most): use 5 % or less, or lower another bar's holdout",
    );
    expect(save("e", withHoldout(5))).toEqual({ percent: 5, start: 5, since: on(7) });
    expect(save("f", withHoldout(1))).toMatch(/already cover every customer/);
    // Saved unchanged, a bar keeps its place and its start date (and sameBar sees no change);
    // a new share in the same place starts a new assignment.
    expect(save("b", withHoldout(30))).toEqual({ percent: 30, start: 10, since: on(2) });
    expect(save("b", withHoldout(20))).toEqual({ percent: 20, start: 10, since: on(10) });
  });

  it("publishes holdouts that never overlap, even after two saves raced", () => {
    const placed = (id: string, start: number, percent: number, createdAt: string) =>
      stored(id, bar({ holdout: { percent, start, since: createdAt } }), createdAt);
    const published = publishedBars(
      [
        placed("late", 5, 10, "2026-03-01T00:00:00Z"),
        placed("early", 0, 10, "2026-01-01T00:00:00Z"),
        placed("apart", 90, 10, "2026-04-01T00:00:00Z"),
        stored(
          "unplaced",
          bar({ holdout: { percent: 10, start: null, since: null } }),
          "2026-05-01T00:00:00Z",
        ),
        stored("guests", bar({ audience: { segments: [], countries: [], visitors: "guests" } })),
      ],
      "seg-",
      new Date("2026-06-01T00:00:00Z"),
    );
    const holdouts = Object.fromEntries(
      published.bars.map((entry) => [entry.id, [entry.holdout_percent, entry.holdout_start]]),
    );
    expect(holdouts).toEqual({
      early: [10, 0],
      late: [0, 0],
      apart: [10, 90],
      unplaced: [0, 0],
      guests: [0, 0],
    });
  });

  it("digests canonical JSON, so key order never causes a rewrite", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    const one = metafieldDigest("json", canonicalJson({ a: 1, b: 2 }));
    expect(metafieldDigest("json", canonicalJson({ b: 2, a: 1 }))).toBe(one);
    expect(metafieldDigest("json", canonicalJson({ a: 1, b: 3 }))).not.toBe(one);
    expect(metafieldDigest("list.product_reference", canonicalJson({ a: 1, b: 2 }))).not.toBe(one);
  });
});
