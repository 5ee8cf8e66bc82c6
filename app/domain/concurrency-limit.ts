/**
 * At most `limit` pieces of work at once per key (a shop): the next one is refused rather than
 * queued, so a flood from one key is answered at once and never waits for, or delays, anyone
 * else's work.
 */
export class ConcurrencyLimit {
  private readonly runningByKey = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function for the slot taken, or null when the key already has `limit` running. */
  tryAcquire(key: string): (() => void) | null {
    const running = this.running(key);
    if (running >= this.limit) return null;
    this.runningByKey.set(key, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.running(key) - 1;
      if (left > 0) this.runningByKey.set(key, left);
      else this.runningByKey.delete(key);
    };
  }

  running(key: string) {
    return this.runningByKey.get(key) ?? 0;
  }
}
