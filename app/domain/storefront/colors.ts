/** WCAG 2.x contrast between two `#rrggbb` colours: 1 (same) to 21 (black on white). */
export function contrastRatio(foreground: string, background: string): number {
  const [lighter, darker] = [relativeLuminance(foreground), relativeLuminance(background)].sort(
    (a, b) => b - a,
  );
  return (lighter + 0.05) / (darker + 0.05);
}

/** Body text needs 4.5:1 (WCAG AA, success criterion 1.4.3). */
export const MINIMUM_TEXT_CONTRAST = 4.5;

export const HEX_COLOR = /^#[0-9a-f]{6}$/i;

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export interface ContrastCheck {
  /** Rounded down to two decimals, so a shown 4.50 always passes. */
  ratio: number;
  readable: boolean;
}

/** The contrast of text on background as the editor shows it; null until both are `#rrggbb`. */
export function contrastCheck(text: string, background: string): ContrastCheck | null {
  if (!HEX_COLOR.test(text) || !HEX_COLOR.test(background)) return null;
  const ratio = contrastRatio(text, background);
  return { ratio: Math.floor(ratio * 100) / 100, readable: ratio >= MINIMUM_TEXT_CONTRAST };
}
