/**
 * Is the app's embed turned on in the live theme? The theme editor keeps app embeds in the
 * theme's config/settings_data.json, under `current.blocks`, each with the type
 * `shopify://apps/<app handle>/blocks/<block handle>/<extension uuid>` and `disabled: true` when
 * the merchant switched it off. A theme whose `current` names a preset holds no embeds yet.
 */

export type EmbedState =
  /** The embed is on in the live theme. */
  | "on"
  /** Added once, then switched off in the theme editor. */
  | "off"
  /** Never turned on in the live theme. */
  | "missing";

interface ThemeBlock {
  type?: unknown;
  disabled?: unknown;
}

/** settings_data.json begins with a generated comment; JSON.parse needs it gone. */
function withoutLeadingComments(text: string) {
  return text.replace(/^(\s*\/\*[\s\S]*?\*\/)+\s*/, "");
}

export function embedBlockType(type: unknown, appHandle: string, blockHandle: string) {
  if (typeof type !== "string") return false;
  const match = /^shopify:\/\/apps\/([^/]+)\/blocks\/([^/]+)\/[^/]+$/.exec(type);
  return match !== null && match[1] === appHandle && match[2] === blockHandle;
}

/**
 * The embed's state in one settings_data.json text; an error message when the file is not JSON
 * (the caller says the state is unknown rather than guessing).
 */
export function appEmbedState(
  settingsData: string,
  appHandle: string,
  blockHandle: string,
): { ok: true; state: EmbedState } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutLeadingComments(settingsData));
  } catch {
    return { ok: false, error: "the theme's settings_data.json is not valid JSON" };
  }
  const current = (parsed as { current?: unknown } | null)?.current;
  if (typeof current !== "object" || current === null) return { ok: true, state: "missing" };
  const blocks = Object.values(
    ((current as { blocks?: unknown }).blocks ?? {}) as Record<string, ThemeBlock>,
  ).filter((block) => embedBlockType(block?.type, appHandle, blockHandle));
  if (blocks.length === 0) return { ok: true, state: "missing" };
  return { ok: true, state: blocks.some((block) => block.disabled !== true) ? "on" : "off" };
}
