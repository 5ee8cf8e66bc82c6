import type { ReactNode } from "react";

/**
 * A wide layout (tables) and a narrow one (stacked rows, phones), both rendered and one shown by
 * a media query (by-width.css): unlike `useBreakpoints`, the first paint is already right.
 */
export function ByWidth({ wide, narrow }: { wide: ReactNode; narrow: ReactNode }) {
  return (
    <>
      <div className="persegment-wide">{wide}</div>
      <div className="persegment-narrow">{narrow}</div>
    </>
  );
}
