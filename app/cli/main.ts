// Operator command line: `npm run cli -- <command> [args]` (PRODUCT.md §7).
import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "./command";
import { commands } from "./commands/index";
import { stopBackgroundWork } from "~/pipeline.server";

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | null {
  // Longest name first, so "segments recompute" wins over a hypothetical "segments".
  const sorted = [...commands].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of sorted) {
    const words = command.name.split(" ");
    if (words.every((word, index) => argv[index] === word))
      return { command, rest: argv.slice(words.length) };
  }
  return null;
}

function usage() {
  return [
    "usage: npm run cli -- <command>",
    ...commands.map((command) => `  ${command.usage}`),
  ].join("\n");
}

async function main(argv: string[]) {
  const found = findCommand(argv);
  if (!found) {
    console.error(argv.length ? `unknown command: ${argv.join(" ")}\n${usage()}` : usage());
    return 2;
  }
  const { command, rest } = found;
  try {
    const { positionals, values } = parseArgs({
      args: rest,
      options: command.options ?? {},
      allowPositionals: true,
    });
    await command.run(positionals, values as Record<string, string | boolean | undefined>);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) {
      console.error(`${error.message}\nusage: npm run cli -- ${command.usage}`);
      return 2;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

// Output piped into a reader that stopped early (`| head`): the rest is not wanted.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  // Jobs the command sent are in the database already; the job system's connections close.
  async (code) => {
    await stopBackgroundWork();
    // process.exit drops what a pipe has not taken yet: a long export was cut short.
    await new Promise((resolve) => process.stdout.write("", resolve));
    process.exit(code);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
