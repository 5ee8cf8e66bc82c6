// Polaris feedback the pages share: a toast after an action, and a confirmation before a
// destructive one. Both need the Polaris <Frame> that app.tsx draws around every page.
import { useSubmit } from "@remix-run/react";
import { Button, Modal, Text, Toast } from "@shopify/polaris";
import { useEffect, useState } from "react";

/**
 * A toast for each new action result (an object from useActionData/useFetcher: a new submission
 * gives a new object). `error` toasts are red and stay a little longer.
 */
export function ResultToast({ result }: { result: { message: string; error?: boolean } | null }) {
  const [shown, setShown] = useState<{ message: string; error?: boolean } | null>(null);
  useEffect(() => setShown(result), [result]);
  if (!shown) return null;
  return (
    <Toast
      content={shown.message}
      error={shown.error}
      duration={shown.error ? 8000 : 5000}
      onDismiss={() => setShown(null)}
    />
  );
}

interface ConfirmProps {
  /** The button that opens the confirmation. */
  label: string;
  title: string;
  /** What will happen, in plain words. */
  body: string;
  /** The destructive button in the dialog. */
  confirmLabel: string;
  /** Form fields posted on confirmation (intent and the like). */
  fields: Record<string, string>;
  loading?: boolean;
  disabled?: boolean;
}

/** A critical button that asks first, then posts `fields` to the page's action. */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  fields,
  loading,
  disabled,
}: ConfirmProps) {
  const [open, setOpen] = useState(false);
  const submit = useSubmit();
  return (
    <>
      <Button tone="critical" onClick={() => setOpen(true)} loading={loading} disabled={disabled}>
        {label}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        primaryAction={{
          content: confirmLabel,
          destructive: true,
          onAction: () => {
            setOpen(false);
            submit(fields, { method: "post" });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{body}</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
