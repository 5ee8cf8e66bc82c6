import { Badge } from "@shopify/polaris";

/** Which method the store's predictions come from: the fitted model or the rule of thumb. */
export function MethodBadge({ method }: { method: "model" | "heuristic" }) {
  return (
    <Badge tone={method === "model" ? "success" : "info"}>
      {method === "model" ? "Model" : "Heuristic"}
    </Badge>
  );
}
