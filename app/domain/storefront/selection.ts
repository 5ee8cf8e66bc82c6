import { isHeldOut } from "../measurement/holdout-slot";
import type {
  PublishedBar,
  PublishedBars,
  PublishedMessage,
  PublishedThreshold,
} from "./published";

/**
 * The bar choice the top-bar Liquid makes, in TypeScript, for the admin's persona preview. The
 * storefront tests render the real Liquid for the same visitors and compare, so the two cannot
 * drift apart.
 */

export interface Visitor {
  /** null for a guest; customer tags otherwise. */
  customerTags: string[] | null;
  /**
   * The logged-in customer's numeric id, which decides the holdouts they are in. Absent: a
   * customer outside every holdout (the admin's personas show what most customers see).
   */
  customerId?: string | number;
  country: string;
  locale: string;
  cartCurrency: string;
  cartTotalCents: number;
}

export type ChosenBar =
  | { bar: PublishedBar; kind: "message"; text: string }
  | {
      bar: PublishedBar;
      kind: "free_shipping";
      threshold: PublishedThreshold;
      remainingCents: number;
      reached: boolean;
      text: string;
    };

export function chooseBar(
  published: PublishedBars | null,
  visitor: Visitor,
  now: Date,
): ChosenBar | null {
  const seconds = Math.floor(now.getTime() / 1000);
  for (const bar of published?.bars ?? []) {
    if (bar.visitors === "logged_in" && !visitor.customerTags) continue;
    if (bar.visitors === "guest" && visitor.customerTags) continue;
    if (bar.starts_at > 0 && seconds < bar.starts_at) continue;
    if (bar.ends_at > 0 && seconds >= bar.ends_at) continue;
    if (bar.countries.length > 0 && !bar.countries.includes(visitor.country)) continue;
    if (bar.tags.length > 0 && !bar.tags.some((tag) => visitor.customerTags?.includes(tag)))
      continue;
    // Held out of this bar: the customer sees the next bar that matches, as if this one were off.
    if (
      visitor.customerTags &&
      visitor.customerId !== undefined &&
      heldOutOf(bar, visitor.customerId)
    )
      continue;
    if (bar.kind === "message")
      return { bar, kind: "message", text: messageFor(bar.messages, visitor.locale) };
    const threshold = thresholdFor(bar, visitor);
    if (!threshold) continue;
    const remainingCents = threshold.amount - visitor.cartTotalCents;
    const reached = remainingCents <= 0;
    return {
      bar,
      kind: "free_shipping",
      threshold,
      remainingCents,
      reached,
      text: messageFor(reached ? bar.reached : bar.messages, visitor.locale),
    };
  }
  return null;
}

const heldOutOf = (bar: PublishedBar, customerId: string | number) =>
  isHeldOut(customerId, { percent: bar.holdout_percent, start: bar.holdout_start });

function thresholdFor(bar: PublishedBar, visitor: Visitor) {
  return bar.thresholds.find(
    (entry) =>
      entry.currency === visitor.cartCurrency &&
      (entry.countries.length === 0 || entry.countries.includes(visitor.country)),
  );
}

/** The visitor's language, else the bar's default (always listed first). */
export function messageFor(messages: PublishedMessage[], locale: string): string {
  return (messages.find((message) => message.locale === locale) ?? messages[0])?.text ?? "";
}
