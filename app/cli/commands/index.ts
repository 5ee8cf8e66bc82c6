import type { CliCommand } from "../command";

/** Every CLI command. Each issue adds its commands in a module of its own and lists them here. */
export const commands: CliCommand[] = [];
