/** The shared action of the segment editor pages: live preview and save. */
import { previewResponseInit, previewRule, saveCustomSegment } from "./custom.server";

function parseJson(text: FormDataEntryValue | null): unknown {
  try {
    return JSON.parse(String(text ?? ""));
  } catch {
    return Symbol.for("invalid-json");
  }
}

const INVALID_JSON = [{ path: "rule", message: "The rule is not valid JSON." }];

export async function segmentEditorAction(shop: string, form: FormData, existingHandle?: string) {
  const intent = form.get("intent");
  const rule = parseJson(form.get("rule"));
  if (intent === "preview") {
    if (typeof rule === "symbol")
      return Response.json({ intent, ok: false, problems: INVALID_JSON }, { status: 400 });
    const result = await previewRule(shop, rule);
    return Response.json({ intent, ...result }, previewResponseInit(result));
  }
  if (intent === "save") {
    if (typeof rule === "symbol")
      return Response.json({ intent, ok: false, problems: INVALID_JSON }, { status: 400 });
    const result = await saveCustomSegment(
      shop,
      { name: form.get("name"), description: form.get("description"), rule },
      existingHandle,
    );
    if (!result.ok) return Response.json({ intent, ...result }, { status: 400 });
    return Response.json({ intent, ok: true, handle: result.segment.handle });
  }
  return null;
}
