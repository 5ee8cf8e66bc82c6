// The Flow trigger calls for segment moves, and the triggers' declared fields: the extension tomls
// the merchant's Flow reads, the calls the app builds and what the stand-in accepts are one shape.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLOW_TRIGGER_HANDLES, flowTriggerFor } from "~/domain/segments/flow-triggers";
import { APP_FLOW_TRIGGERS } from "@persegment/shopify-stand-in";

const segment = {
  name: "Champions",
  handle: "champions",
  flowEnabledAt: new Date("2026-12-01T10:00:00Z"),
};
const move = (kind: string, at: string) => ({
  id: 7,
  kind,
  customerId: "gid://shopify/Customer/7100000000123",
  at: new Date(at),
});

/** Each `[[settings.fields]]` of an extension's toml: its type and key. */
function declaredFields(handle: string) {
  const toml = readFileSync(`extensions/${handle}/shopify.extension.toml`, "utf8");
  expect(toml).toMatch(new RegExp(`^handle = "${handle}"$`, "m"));
  expect(toml).toMatch(/^type = "flow_trigger"$/m);
  return toml
    .split("[[settings.fields]]")
    .slice(1)
    .map((block) => {
      const type = /type = "([^"]+)"/.exec(block)![1];
      const key = /key = "([^"]+)"/.exec(block)?.[1];
      return key ? { type, key } : { type };
    });
}

describe("Flow triggers for segment moves", () => {
  it("builds the trigger call for an entry and an exit, with the customer's numeric id", () => {
    expect(flowTriggerFor(segment, move("entered", "2026-12-02T00:00:00Z"))).toEqual({
      handle: "persegment-segment-entered",
      payload: {
        customer_id: 7100000000123,
        "Segment name": "Champions",
        "Segment handle": "champions",
      },
    });
    expect(flowTriggerFor(segment, move("left", "2026-12-02T00:00:00Z"))?.handle).toBe(
      "persegment-segment-left",
    );
  });

  it("sends nothing for a move dated before Flow was turned on, or of an unknown kind", () => {
    expect(flowTriggerFor(segment, move("entered", "2026-12-01T09:59:59Z"))).toBeNull();
    expect(flowTriggerFor(segment, move("moved", "2026-12-02T00:00:00Z"))).toBeNull();
  });

  it("declares in each extension exactly the fields the calls carry and the stand-in checks", () => {
    for (const handle of Object.values(FLOW_TRIGGER_HANDLES)) {
      expect(handle.length).toBeLessThanOrEqual(30);
      expect(declaredFields(handle)).toEqual(APP_FLOW_TRIGGERS[handle]);
      const call = flowTriggerFor(segment, move("entered", "2026-12-02T00:00:00Z"))!;
      const keys = declaredFields(handle).map((field) => field.key ?? "customer_id");
      expect(Object.keys(call.payload).sort()).toEqual(keys.sort());
    }
    expect(Object.keys(APP_FLOW_TRIGGERS).sort()).toEqual(
      Object.values(FLOW_TRIGGER_HANDLES).sort(),
    );
  });
});
