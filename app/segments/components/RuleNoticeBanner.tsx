import { Banner } from "@shopify/polaris";
import type { RuleNotice } from "~/segments/overview.server";

const dateTime = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export const failingSince = (notice: RuleNotice) =>
  `${dateTime.format(new Date(notice.since))} UTC`;

/** A segment whose rule could not be evaluated: why, since when, and what to do. */
export function RuleNoticeBanner({ notice, onEdit }: { notice: RuleNotice; onEdit?: () => void }) {
  return (
    <Banner
      tone="critical"
      title={notice.title}
      action={onEdit ? { content: "Edit the rule", onAction: onEdit } : undefined}
    >
      <p>
        {notice.reason} Since {failingSince(notice)}.
      </p>
      <p>{notice.action}</p>
    </Banner>
  );
}
