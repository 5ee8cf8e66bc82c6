/**
 * Polaris Viz line and bar charts. Polaris Viz reads `window` and `navigator` while rendering,
 * so it is loaded in the browser only; until then a box of the chart's height holds its place
 * (no layout shift), and the box's label says what the chart shows.
 */
import { lazy, Suspense, useEffect, useState } from "react";

export interface ChartSeries {
  name: string;
  data: { key: string; value: number }[];
}

interface ChartProps {
  kind: "line" | "bar";
  series: ChartSeries[];
  /** Formats an x-axis key (a period's or day's YYYY-MM-DD). */
  xLabel?: (key: string) => string;
  /** Formats a y-axis value (money, percentages). */
  yLabel?: (value: number) => string;
  integersOnly?: boolean;
  showLegend?: boolean;
  /** Bars along the y axis: long category names (segments) stay readable on a phone. */
  horizontal?: boolean;
}

const VizChart = lazy(() =>
  import("@shopify/polaris-viz").then((viz) => ({
    default: function VizChart({
      kind,
      series,
      xLabel,
      yLabel,
      integersOnly,
      showLegend,
      horizontal,
    }: ChartProps) {
      const xAxisOptions = {
        labelFormatter: (value: string | number | null) =>
          xLabel ? xLabel(String(value ?? "")) : String(value ?? ""),
      };
      const yAxisOptions = {
        integersOnly,
        ...(yLabel && { labelFormatter: (value: string | number | null) => yLabel(Number(value)) }),
      };
      const common = {
        theme: "Light",
        // Drawn at once: a chart growing into place reads as wrong values for its first second
        // (and in screenshots).
        isAnimated: false,
        data: series,
        showLegend: showLegend ?? false,
        xAxisOptions,
        yAxisOptions,
      };
      return (
        <viz.PolarisVizProvider>
          {kind === "line" ? (
            <viz.LineChart {...common} />
          ) : (
            <viz.BarChart {...common} direction={horizontal ? "horizontal" : "vertical"} />
          )}
        </viz.PolarisVizProvider>
      );
    },
  })),
);

export function BrowserChart({
  height,
  label,
  ...chart
}: ChartProps & { height: number; label: string }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const placeholder = (
    <div
      style={{ height, background: "var(--p-color-bg-surface-secondary)", borderRadius: 8 }}
      aria-hidden
    />
  );
  return (
    <div style={{ height }} role="img" aria-label={label}>
      {inBrowser ? (
        <Suspense fallback={placeholder}>
          <VizChart {...chart} />
        </Suspense>
      ) : (
        placeholder
      )}
    </div>
  );
}
