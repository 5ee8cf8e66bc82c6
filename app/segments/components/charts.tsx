/** Small dependency-free charts: the RFM grid (R × average of F and M) and the list rows' sparkline. */
import { BlockStack, Text } from "@shopify/polaris";
import { memo } from "react";
import { rfmGroupFor, rfmGroupName } from "~/domain/segments/rfm";

const number = new Intl.NumberFormat("en-US");

/**
 * Rows R = 5 … 1, columns FM = (F + M) / 2 rounded down to 1 … 5; each cell shows how many
 * buyers have it, shaded by that count, and names the RFM group it belongs to.
 */
/** Memoised: a navigation within the page leaves the grid alone. */
export const RfmGrid = memo(function RfmGrid({
  cells,
}: {
  cells: { r: number; f: number; m: number; count: number }[];
}) {
  const grid = new Map<string, { count: number; groups: Set<string> }>();
  for (const cell of cells) {
    const key = `${cell.r}:${Math.floor((cell.f + cell.m) / 2)}`;
    const entry = grid.get(key) ?? { count: 0, groups: new Set<string>() };
    entry.count += cell.count;
    entry.groups.add(rfmGroupFor(cell));
    grid.set(key, entry);
  }
  const max = Math.max(1, ...[...grid.values()].map((entry) => entry.count));
  if (cells.length === 0)
    return (
      <Text as="p" tone="subdued">
        The grid fills in once customers have orders and segments have been computed.
      </Text>
    );
  return (
    <BlockStack gap="200">
      <div
        style={{
          display: "grid",
          // minmax(0, …): on a phone the five columns share the width instead of growing to
          // their longest group name.
          gridTemplateColumns: "auto repeat(5, minmax(0, 1fr))",
          gap: 4,
          maxWidth: 720,
        }}
        role="table"
        aria-label="Customers by recency (rows) and frequency/monetary (columns)"
      >
        {[5, 4, 3, 2, 1].map((r) => [
          <div key={`label-${r}`} style={{ alignSelf: "center", paddingRight: 8 }}>
            <Text as="span" tone="subdued">
              R {r}
            </Text>
          </div>,
          ...[1, 2, 3, 4, 5].map((fm) => {
            const entry = grid.get(`${r}:${fm}`);
            const share = entry ? entry.count / max : 0;
            const groups = entry ? [...entry.groups].map(rfmGroupName).join(", ") : "";
            return (
              <div
                key={`${r}:${fm}`}
                role="cell"
                title={
                  entry ? `${number.format(entry.count)} customers · ${groups}` : "No customers"
                }
                style={{
                  background: `rgba(48, 94, 226, ${0.08 + share * 0.82})`,
                  color: share > 0.5 ? "white" : "inherit",
                  borderRadius: 6,
                  padding: "10px 4px",
                  textAlign: "center",
                  minHeight: 52,
                  overflowWrap: "anywhere",
                  hyphens: "auto",
                }}
              >
                <div style={{ fontWeight: 600 }}>{entry ? number.format(entry.count) : "–"}</div>
                <div style={{ fontSize: 11, opacity: 0.85 }}>{groups}</div>
              </div>
            );
          }),
        ])}
        <div />
        {[1, 2, 3, 4, 5].map((fm) => (
          <div key={`fm-${fm}`} style={{ textAlign: "center" }}>
            <Text as="span" tone="subdued">
              FM {fm}
            </Text>
          </div>
        ))}
      </div>
      <Text as="p" tone="subdued" variant="bodySm">
        R is how recently a customer ordered (5 = most recent); FM is the average of their order
        count (F) and spend (M) scores. Each score compares a customer with your other buyers.
      </Text>
    </BlockStack>
  );
});

/** A tiny trend line for list rows. */
export function Sparkline({ points }: { points: { members: number }[] }) {
  if (points.length < 2)
    return (
      <Text as="span" tone="subdued">
        –
      </Text>
    );
  const max = Math.max(1, ...points.map((point) => point.members));
  const min = Math.min(...points.map((point) => point.members));
  const span = Math.max(1, max - min);
  const d = points
    .map(
      (point, index) =>
        `${index ? "L" : "M"}${((index / (points.length - 1)) * 78 + 1).toFixed(1)},${(19 - ((point.members - min) / span) * 18).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg width={80} height={20} viewBox="0 0 80 20" aria-hidden>
      <path d={d} fill="none" stroke="#305ee2" strokeWidth={1.5} />
    </svg>
  );
}
