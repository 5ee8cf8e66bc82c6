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
