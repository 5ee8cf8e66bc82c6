import { describe, expect, it } from "vitest";
import { contrastCheck, contrastRatio } from "~/domain/storefront/colors";

describe("contrast between text and background (WCAG 2.x)", () => {
  it("gives 21:1 for black on white and 1:1 for a colour on itself, either way round", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 10);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 10);
    expect(contrastRatio("#3a7bd5", "#3a7bd5")).toBe(1);
  });

  it("matches published reference ratios", () => {
    // WebAIM's checker: #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#ff0000", "#ffffff")).toBeCloseTo(4.0, 2);
  });

  it("warns under 4.5:1 and never shows a passing ratio rounded up", () => {
    expect(contrastCheck("#767676", "#ffffff")).toEqual({ ratio: 4.54, readable: true });
    expect(contrastCheck("#777777", "#FFFFFF")).toEqual({ ratio: 4.47, readable: false });
    expect(contrastCheck("#ffffff", "#1a1a1a")?.readable).toBe(true);
    // 4.499…:1 is shown as 4.49, not 4.50, next to the warning.
    const check = contrastCheck("#777777", "#ffffff")!;
    expect(check.ratio < 4.5 && !check.readable).toBe(true);
  });

  it("checks nothing until both colours are complete hex colours", () => {
    expect(contrastCheck("#fff", "#000000")).toBeNull();
    expect(contrastCheck("#ffffff", "black")).toBeNull();
    expect(contrastCheck("", "")).toBeNull();
  });
});
