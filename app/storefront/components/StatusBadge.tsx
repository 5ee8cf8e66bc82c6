import { Badge } from "@shopify/polaris";
import type { ScheduleStatus } from "~/domain/storefront/schedule";

const BADGES: Record<ScheduleStatus, { label: string; tone?: "success" | "info" | "attention" }> = {
  off: { label: "Off" },
  scheduled: { label: "Scheduled", tone: "info" },
  live: { label: "Live", tone: "success" },
  ended: { label: "Ended", tone: "attention" },
};

/** A bar's status as the list and the editor show it: Off, Scheduled, Live or Ended. */
export function StatusBadge({ status }: { status: ScheduleStatus }) {
  const { label, tone } = BADGES[status];
  return <Badge tone={tone}>{label}</Badge>;
}
