// What a benchmark module (bench/*.bench.ts) exports, and small measuring helpers.
// bench/run.ts runs each module in its own process (fresh database, honest peak RSS).

export interface BenchMetric {
  /** Short name of what was measured, e.g. "full sync throughput". */
  metric: string;
  /** null when this run could not measure it (the note says why). */
  value: number | null;
  unit: string;
  /** The goal, if there is one: value must be at most (<=) or at least (>=) this. */
  target?: { op: "<=" | ">="; value: number };
  /** Anything that explains the number (sizes, settings). */
  note?: string;
}

export interface Bench {
  /** Shown in the table, e.g. "sync". */
  name: string;
  run(): Promise<BenchMetric[]>;
}

/** Declares a benchmark module: `export default defineBench({ name, run })`. */
export function defineBench(bench: Bench): Bench {
  return bench;
}

export function meetsTarget(metric: BenchMetric) {
  if (!metric.target) return null;
  if (metric.value === null) return false;
  return metric.target.op === "<="
    ? metric.value <= metric.target.value
    : metric.value >= metric.target.value;
}

/** The p-th percentile (0–100) of the samples, nearest-rank. */
export function percentile(samples: number[], p: number) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The middle sample (of an even count, the lower of the two middle ones). */
export function median(samples: number[]) {
  return percentile(samples, 50);
}

/** Samples this process's resident set size while `work` runs; returns the peak in MB. */
export async function measurePeakRss<T>(work: () => Promise<T>, everyMs = 25) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export function round(value: number, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Hands `rows` to `write` 500 at a time (bulk inserts of a bench's data). */
export async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 500)
    await write(rows.slice(start, start + 500));
}
