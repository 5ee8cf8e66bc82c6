import { describe, expect, it } from "vitest";
import {
  barFromForm,
  editorLocales,
  formChoiceErrors,
  formFromBar,
} from "~/domain/storefront/bar-form";
import { DEFAULT_BAR, validateBar } from "~/domain/storefront/bars";
import type { PublishedBar } from "~/domain/storefront/published";
import {
  boundaryPassedSince,
  lastBoundary,
  scheduleStatus,
  utcToZoned,
  zonedToUtc,
} from "~/domain/storefront/schedule";

const at = (iso: string) => new Date(iso);
const schedule = (startsAt: string | null, endsAt: string | null) => ({
  enabled: true,
  schedule: { startsAt, endsAt },
});

describe("schedule status", () => {
  it("says Ended for a bar that ended in 2020, whatever else it is", () => {
    const bar = schedule("2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z");
    expect(scheduleStatus(bar, at("2026-12-07T00:00:00Z"))).toBe("ended");
    expect(scheduleStatus(schedule(null, "2020-02-01T00:00:00Z"), at("2026-12-07T00:00:00Z"))).toBe(
      "ended",
    );
  });

  it("moves from Scheduled to Live at the start and to Ended at the end, by the injected clock", () => {
    const bar = schedule("2026-12-10T09:00:00.000Z", "2026-12-12T09:00:00.000Z");
    expect(scheduleStatus(bar, at("2026-12-10T08:59:59.999Z"))).toBe("scheduled");
    expect(scheduleStatus(bar, at("2026-12-10T09:00:00.000Z"))).toBe("live");
    expect(scheduleStatus(bar, at("2026-12-12T08:59:59.999Z"))).toBe("live");
    // The storefront stops at ends_at itself (now >= ends_at), and so does the status.
    expect(scheduleStatus(bar, at("2026-12-12T09:00:00.000Z"))).toBe("ended");
  });

  it("is Live without a schedule and Off when switched off, scheduled or not", () => {
    expect(scheduleStatus(schedule(null, null), at("2026-01-01T00:00:00Z"))).toBe("live");
    for (const dates of [
      [null, null],
      ["2030-01-01T00:00:00Z", null],
      [null, "2020-01-01T00:00:00Z"],
    ] as const)
      expect(
        scheduleStatus(
          { enabled: false, schedule: { startsAt: dates[0], endsAt: dates[1] } },
          at("2026-01-01T00:00:00Z"),
        ),
      ).toBe("off");
  });
});

describe("times in the shop's time zone", () => {
  it("reads a wall-clock time in the zone, summer and winter", () => {
    expect(zonedToUtc("2026-07-01T09:30", "Europe/Berlin")).toBe("2026-07-01T07:30:00.000Z");
    expect(zonedToUtc("2026-12-01T09:30", "Europe/Berlin")).toBe("2026-12-01T08:30:00.000Z");
    expect(zonedToUtc("2026-12-01T09:30", "America/New_York")).toBe("2026-12-01T14:30:00.000Z");
    expect(zonedToUtc("2026-12-01T09:30", "Asia/Kolkata")).toBe("2026-12-01T04:00:00.000Z");
    expect(zonedToUtc("2026-12-01T09:30", "UTC")).toBe("2026-12-01T09:30:00.000Z");
  });

  it("shows an instant as the zone's wall clock, the inverse of reading it", () => {
    expect(utcToZoned("2026-07-01T07:30:00.000Z", "Europe/Berlin")).toBe("2026-07-01T09:30");
    expect(utcToZoned("2026-12-01T14:30:00.000Z", "America/New_York")).toBe("2026-12-01T09:30");
    for (const local of [
      "2026-03-29T01:59",
      "2026-03-29T03:00",
      "2026-10-25T01:30",
      "2026-10-25T03:30",
    ])
      expect(utcToZoned(zonedToUtc(local, "Europe/Berlin")!, "Europe/Berlin")).toBe(local);
  });

  it("reads a time the clock skips (spring forward) with the offset before the change", () => {
    // Berlin jumps from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist; read as 01:30 UTC.
    expect(zonedToUtc("2026-03-29T02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("refuses what is not a wall-clock time", () => {
    for (const bad of ["", "tomorrow", "2026-02-30T10:00", "2026-01-01T24:00", "2026-01-01T10:60"])
      expect(zonedToUtc(bad, "Europe/Berlin"), bad).toBeNull();
  });

  it("round-trips a bar's schedule through the editor's fields in the shop's zone", () => {
    const bar = {
      ...DEFAULT_BAR,
      name: "Sale",
      messages: { en: "Sale" },
      schedule: { startsAt: "2026-12-01T08:00:00.000Z", endsAt: "2026-12-24T22:59:00.000Z" },
    };
    const fields = formFromBar(bar, [{ locale: "en" }], "Europe/Berlin");
    expect(fields).toMatchObject({ startsAt: "2026-12-01T09:00", endsAt: "2026-12-24T23:59" });
    const result = validateBar(barFromForm(fields, [], "Europe/Berlin"), []);
    expect(result).toEqual({ ok: true, value: bar });
  });
});

const published = (starts_at: number, ends_at: number) => ({ starts_at, ends_at }) as PublishedBar;

describe("boundaries the storefront must be republished at", () => {
  const T = Date.parse("2026-12-10T09:00:00Z") / 1000;
  const bars = [published(T, T + 3600), published(0, T + 60), published(0, 0)];

  it("is the latest start or end passed", () => {
    expect(lastBoundary(bars, new Date((T - 1) * 1000))).toBe(0);
    expect(lastBoundary(bars, new Date(T * 1000))).toBe(T);
    expect(lastBoundary(bars, new Date((T + 61) * 1000))).toBe(T + 60);
    expect(lastBoundary(bars, new Date((T + 7200) * 1000))).toBe(T + 3600);
  });

  it("is due when a boundary passed after the last publish, and not again once republished", () => {
    const before = new Date((T - 300) * 1000);
    expect(boundaryPassedSince(bars, before, new Date((T - 1) * 1000))).toBe(false);
    expect(boundaryPassedSince(bars, before, new Date((T + 30) * 1000))).toBe(true);
    const republished = new Date((T + 30) * 1000);
    expect(boundaryPassedSince(bars, republished, new Date((T + 45) * 1000))).toBe(false);
    expect(boundaryPassedSince(bars, republished, new Date((T + 60) * 1000))).toBe(true);
  });
});

describe("message languages", () => {
  const shopLocales = [
    { locale: "fr", name: "French", primary: false },
    { locale: "en", name: "English", primary: true },
    { locale: "de", name: "German", primary: false },
  ];

  it("lists the shop's published languages, primary first, and only those for a new bar", () => {
    expect(editorLocales({ ...DEFAULT_BAR }, shopLocales)).toEqual([
      { locale: "en", name: "English", published: true },
      { locale: "fr", name: "French", published: true },
      { locale: "de", name: "German", published: true },
    ]);
  });

  it("puts the bar's fallback language first and keeps a message in an unpublished one visible", () => {
    const bar = { ...DEFAULT_BAR, defaultLocale: "de", messages: { de: "Hallo", es: "Hola" } };
    expect(editorLocales(bar, shopLocales).map((entry) => [entry.locale, entry.published])).toEqual(
      [
        ["de", true],
        ["en", true],
        ["fr", true],
        ["es", false],
      ],
    );
  });

  it("reads every language's message field the form sent", () => {
    const fields = {
      ...formFromBar({ ...DEFAULT_BAR, name: "x" }),
      "message.en": "Hi",
      "message.pt-BR": "Olá",
    };
    expect(barFromForm(fields, [])).toMatchObject({ messages: { en: "Hi", "pt-BR": "Olá" } });
  });
});

describe("audience choices", () => {
  it("asks for a segment or a country when the merchant chose to limit by them", () => {
    expect(
      formChoiceErrors({ segmentMode: "segments", countryMode: "some", countries: " " }, []),
    ).toEqual({
      segments: "Choose at least one segment, or show the bar to every shopper",
      countries: "Enter at least one country code, or show the bar in every country",
    });
    expect(
      formChoiceErrors({ segmentMode: "segments", countryMode: "some", countries: "DE" }, ["vip"]),
    ).toEqual({});
  });

  it("drops segments and countries left over when the merchant chose everyone", () => {
    const fields = {
      ...formFromBar({ ...DEFAULT_BAR, name: "x" }),
      segmentMode: "all",
      countryMode: "all",
      countries: "DE",
    };
    expect(barFromForm(fields, ["vip"])).toMatchObject({
      audience: { segments: [], countries: [] },
    });
  });
});
