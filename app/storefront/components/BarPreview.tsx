// The top bar as shoppers see it, drawn in the admin with the theme extension's own stylesheet and
// the markup of blocks/top-bar.liquid, so the preview cannot drift from the storefront. Only the
// position differs: here it sits in the card instead of at the top of the window.
import { createElement, type CSSProperties, type ReactNode } from "react";
import topBarStyles from "../../../extensions/persegment-storefront/assets/top-bar.css?url";

export const barPreviewLinks = [{ rel: "stylesheet", href: topBarStyles }];

export interface BarPreviewProps {
  background: string;
  text: string;
  message: string;
  link: string;
  /** Free shipping: the share of the threshold the sample cart reached (0–100). */
  progress?: number;
}

export function BarPreview({ background, text, message, link, progress }: BarPreviewProps) {
  const style = {
    "--persegment-bar-bg": background,
    "--persegment-bar-fg": text,
    position: "relative",
    inset: "auto",
    zIndex: 0,
  } as CSSProperties;
  const content: ReactNode = link ? (
    <a className="persegment-bar__link" href={link} onClick={(event) => event.preventDefault()}>
      {message}
    </a>
  ) : (
    message
  );
  return createElement(
    "persegment-bar",
    { class: "persegment-bar persegment-bar--block", style },
    <aside className="persegment-bar__inner" aria-label="Top bar preview">
      <div className="persegment-bar__message">
        <p className="persegment-bar__text">{content}</p>
      </div>
      {progress !== undefined && (
        <span className="persegment-bar__track" aria-hidden="true">
          <span
            className="persegment-bar__fill"
            style={{ "--persegment-progress": progress } as CSSProperties}
          />
        </span>
      )}
      <button type="button" className="persegment-bar__dismiss" tabIndex={-1} aria-hidden="true">
        <span aria-hidden="true">&times;</span>
      </button>
    </aside>,
  );
}
