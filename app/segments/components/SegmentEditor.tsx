/** Name, rule builder (or raw JSON), live member count and save, for new and existing segments. */
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  FormLayout,
  InlineStack,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { RuleBuilder, type Json, type PathProblem } from "./RuleBuilder";

export type EditorActionData =
  | { intent: "preview"; ok: true; count: number; total: number }
  | { intent: "preview"; ok: false; busy: true; retryAfterSeconds: number; problems: [] }
  | { intent: "preview" | "save"; ok: false; problems: PathProblem[] }
  | { intent: "save"; ok: true; handle: string };

const number = new Intl.NumberFormat("en-US");

export function SegmentEditor({
  initial,
  submitLabel,
  onSaved,
}: {
  initial: { name: string; description: string; rule: Json };
  submitLabel: string;
  onSaved?: (handle: string) => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [rule, setRule] = useState<Json>(initial.rule);
  const [mode, setMode] = useState<"builder" | "json">("builder");
  const [jsonText, setJsonText] = useState(() => JSON.stringify(initial.rule, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const preview = useFetcher<EditorActionData>();
  const save = useFetcher<EditorActionData>();
  const ruleText = JSON.stringify(rule);
  const savedHandle = save.data?.intent === "save" && save.data.ok ? save.data.handle : null;
  // Once per saved handle: a parent passing a new onSaved each render must not navigate again on
  // every render (each navigation re-rendered the page and cancelled the one before, forever).
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!savedHandle || !onSaved || announced.current === savedHandle) return;
    announced.current = savedHandle;
    onSaved(savedHandle);
  }, [savedHandle, onSaved]);

  useEffect(() => {
    const timer = setTimeout(
      () => preview.submit({ intent: "preview", rule: ruleText }, { method: "post" }),
      400,
    );
    return () => clearTimeout(timer);
    // preview.submit is stable enough; re-run only when the rule changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ruleText]);

  // The last count stays on screen while a preview is refused for a moment (429) and retried.
  const [lastCount, setLastCount] = useState<{ count: number; total: number } | null>(null);
  const busy = preview.data && "busy" in preview.data ? preview.data : null;
  useEffect(() => {
    if (preview.data?.intent === "preview" && preview.data.ok)
      setLastCount({ count: preview.data.count, total: preview.data.total });
  }, [preview.data]);
  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(
      () => preview.submit({ intent: "preview", rule: ruleText }, { method: "post" }),
      busy.retryAfterSeconds * 1000,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [busy, ruleText]);

  const saveProblems = save.data && !save.data.ok ? save.data.problems : [];
  const previewProblems = preview.data && !preview.data.ok ? preview.data.problems : [];
  const ruleProblems = (
    saveProblems.length
      ? saveProblems.filter((p) => p.path.startsWith("rule"))
      : previewProblems.map((p) => ({ ...p, path: p.path ? `rule.${p.path}` : "rule" }))
  ).map((p) => ({
    ...p,
    path: p.path === "rule" ? "" : p.path.replace(/^rule\./, ""),
  }));
  const fieldProblem = (field: string) => saveProblems.find((p) => p.path === field)?.message;

  return (
    <BlockStack gap="400">
      <Card>
        <FormLayout>
          <TextField
            label="Name"
            autoComplete="off"
            value={name}
            onChange={setName}
            error={fieldProblem("name") ?? fieldProblem("handle")}
            helpText="Shown in the segment list; the handle (and tag) is made from it."
          />
          <TextField
            label="Description"
            autoComplete="off"
            value={description}
            onChange={setDescription}
            multiline={2}
          />
        </FormLayout>
      </Card>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Who belongs to this segment
            </Text>
            <ButtonGroup variant="segmented">
              <Button pressed={mode === "builder"} onClick={() => setMode("builder")}>
                Builder
              </Button>
              <Button
                pressed={mode === "json"}
                onClick={() => {
                  setJsonText(JSON.stringify(rule, null, 2));
                  setMode("json");
                }}
              >
                JSON
              </Button>
            </ButtonGroup>
          </InlineStack>
          {mode === "builder" ? (
            <RuleBuilder rule={rule} problems={ruleProblems} onChange={setRule} />
          ) : (
            <TextField
              label="Rule as JSON"
              autoComplete="off"
              multiline={12}
              monospaced
              value={jsonText}
              error={
                jsonError ??
                ruleProblems
                  .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
                  .join("\n") ??
                undefined
              }
              onChange={(text) => {
                setJsonText(text);
                try {
                  setRule(JSON.parse(text));
                  setJsonError(null);
                } catch {
                  setJsonError("This is not valid JSON yet.");
                }
              }}
            />
          )}
        </BlockStack>
      </Card>
      <Card>
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            {preview.state !== "idle" && (
              <Spinner size="small" accessibilityLabel="Counting customers" />
            )}
            <Text as="p" variant="bodyLg">
              {preview.data?.intent === "preview" && preview.data.ok
                ? `${number.format(preview.data.count)} of ${number.format(preview.data.total)} customers match right now.`
                : busy && lastCount
                  ? `${number.format(lastCount.count)} of ${number.format(lastCount.total)} customers matched at the last count; counting again in a moment…`
                  : previewProblems.length
                    ? "Fix the highlighted conditions to see how many customers match."
                    : "Counting matching customers…"}
            </Text>
          </InlineStack>
          <Button
            variant="primary"
            loading={save.state !== "idle"}
            onClick={() =>
              save.submit({ intent: "save", name, description, rule: ruleText }, { method: "post" })
            }
          >
            {submitLabel}
          </Button>
        </InlineStack>
      </Card>
      {savedHandle && !onSaved && (
        <Banner tone="success" title="Segment saved">
          <p>Its members were recomputed with the new rule.</p>
        </Banner>
      )}
      {saveProblems.length > 0 && (
        <Banner tone="critical" title="The segment was not saved">
          <p>Nothing was changed. Fix the highlighted fields and save again.</p>
        </Banner>
      )}
    </BlockStack>
  );
}
