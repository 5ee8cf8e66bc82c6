/** One CLI command group (`npm run cli -- <group> …`); see app/cli/main.ts. */
export interface CliCommand {
  /** First word(s) on the command line, e.g. "sync" or "segments recompute". */
  name: string;
  usage: string;
  /** Options the command accepts, in node:util parseArgs form. */
  options?: Record<string, { type: "string" | "boolean"; short?: string }>;
  run(positionals: string[], options: Record<string, string | boolean | undefined>): Promise<void>;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** The <shop> a command is about, its first argument; `alone`: with nothing after it. */
export function shopArgument(positionals: string[], { alone = false } = {}) {
  const [shop, ...extra] = positionals;
  if (!shop) throw new UsageError("missing <shop>");
  if (alone && extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  return shop;
}
