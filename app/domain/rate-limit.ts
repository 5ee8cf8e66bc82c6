/**
 * At most `limit` requests per key in each fixed window of `windowMs`: the next one is refused
 * until the window ends. Counts live only for the current window (the map is emptied when it
 * passes), so memory follows the keys of the last minute, not of all time. The clock is passed
 * in.
 */
export class RateLimit {
  private windowStart = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** null when the request may go ahead (it is counted), else the seconds until the window ends. */
  take(key: string, now: number): number | null {
    const start = now - (now % this.windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts.clear();
    }
    const used = this.counts.get(key) ?? 0;
    if (used >= this.limit) return Math.ceil((start + this.windowMs - now) / 1000);
    this.counts.set(key, used + 1);
    return null;
  }
}
