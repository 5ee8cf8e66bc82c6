// Shopify Flow triggers the app declares (its flow_trigger extensions) and `flowTriggerReceive`,
// checked as Flow checks a payload against the trigger's fields: a known handle, every declared
// field present with the right type and nothing else, a customer reference to a customer of the
// shop (readable with read_customers). Accepted calls are recorded, like runs in Flow's activity.

/** A field of a trigger's `[settings]`: a reference (payload key `<type>_id`) or a typed value. */
export interface FlowTriggerField {
  type: "customer_reference" | "single_line_text_field";
  /** Custom fields only: the payload key, as declared. */
  key?: string;
}

/**
 * The app's triggers, as `extensions/persegment-segment-*` declare them (a test in the project
 * checks the two agree).
 */
export const APP_FLOW_TRIGGERS: Record<string, FlowTriggerField[]> = {
  "persegment-segment-entered": [
    { type: "customer_reference" },
    { type: "single_line_text_field", key: "Segment name" },
    { type: "single_line_text_field", key: "Segment handle" },
  ],
  "persegment-segment-left": [
    { type: "customer_reference" },
    { type: "single_line_text_field", key: "Segment name" },
    { type: "single_line_text_field", key: "Segment handle" },
  ],
};

/** One accepted trigger call. */
export interface FlowTriggerRecord {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: number;
}

/** Flow's limit on a trigger's payload, in bytes of its JSON. */
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

type UserError = { field: string[]; message: string };

/** What Flow would refuse in the call (empty: accepted). */
export function flowTriggerErrors(
  handle: unknown,
  payload: unknown,
  customerExists: (id: number) => boolean,
  canReadCustomers: boolean,
): UserError[] {
  const fields = typeof handle === "string" ? APP_FLOW_TRIGGERS[handle] : undefined;
  if (!fields)
    return [{ field: ["handle"], message: `Trigger with handle ${String(handle)} not found` }];
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    return [{ field: ["payload"], message: "Payload must be a JSON object" }];
  if (JSON.stringify(payload).length > FLOW_PAYLOAD_LIMIT_BYTES)
    return [{ field: ["payload"], message: "Payload is too large" }];
  const values = payload as Record<string, unknown>;
  const errors: UserError[] = [];
  const expected = new Set<string>();
  for (const field of fields) {
    if (field.type === "customer_reference") {
      expected.add("customer_id");
      const id = values.customer_id;
      if (!canReadCustomers)
        errors.push({
          field: ["payload", "customer_id"],
          message: "Requires read_customers access",
        });
      else if (typeof id !== "number" || !Number.isInteger(id) || !customerExists(id))
        errors.push({ field: ["payload", "customer_id"], message: "Customer not found" });
    } else {
      expected.add(field.key!);
      if (typeof values[field.key!] !== "string")
        errors.push({ field: ["payload", field.key!], message: `${field.key} must be a string` });
    }
  }
  for (const key of Object.keys(values))
    if (!expected.has(key))
      errors.push({ field: ["payload", key], message: `${key} is not a field of this trigger` });
  return errors;
}
