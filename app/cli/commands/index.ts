import type { CliCommand } from "../command";
import { cleanupCommands } from "./cleanup";
import { pixelCommands } from "./pixel";
import { predictionCommands } from "./predictions";
import { publishCommands } from "./publish";
import { recommendationCommands } from "./recommendations";
import { segmentCommands } from "./segments";
import { syncCommands } from "./sync";
import { tagCommands } from "./tags";

/** Every CLI command. Each issue adds its commands in a module of its own and lists them here. */
export const commands: CliCommand[] = [
  ...syncCommands,
  ...segmentCommands,
  ...predictionCommands,
  ...tagCommands,
  ...publishCommands,
  ...pixelCommands,
  ...recommendationCommands,
  ...cleanupCommands,
];
