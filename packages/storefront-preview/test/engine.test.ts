// The preview engine is honest: what Shopify would refuse, or what the preview does not implement,
// fails the render instead of printing nothing.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src";

const NOW = new Date("2026-11-23T10:00:00Z");

describe("preview engine honesty", () => {
  const engine = createEngine({ locale: "en", currency: "USD", now: NOW });

  it("fails on a filter Shopify does not have or the preview does not implement", async () => {
    await expect(engine.parseAndRender("{{ 'x' | no_such_filter }}", {})).rejects.toThrow(
      /no_such_filter/,
    );
  });

  it("fails on an undefined object or property instead of printing nothing", async () => {
    await expect(engine.parseAndRender("{{ custmer.tags }}", { customer: null })).rejects.toThrow(
      /custmer/,
    );
    await expect(
      engine.parseAndRender("{{ cart.totl }}", { cart: { total_price: 1 } }),
    ).rejects.toThrow(/cart.totl/);
  });

  it("fails on a missing translation and on money that is not integer cents", async () => {
    await expect(engine.parseAndRender("{{ 'top_bar.nope' | t }}", {})).rejects.toThrow(
      /translation missing/,
    );
    await expect(engine.parseAndRender("{{ 12.5 | money }}", {})).rejects.toThrow(/integer cents/);
    expect(
      await engine.parseAndRender(
        "{{ 'top_bar.dismiss' | t }} {{ 1999 | money }} {{ 7 | divided_by: 2 }}",
        {},
      ),
    ).toBe("Dismiss announcement $19.99 3");
  });
});
