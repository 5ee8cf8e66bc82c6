/**
 * The app's structured log: one JSON line per event with the shop and job it concerns (pino).
 * Children carry context: `logger.child({ shop, job })`. Tests log warnings and errors only.
 */
import { pino, type Logger } from "pino";

declare global {
  // One logger per process, also across dev-server reloads and the server build's own copy of
  // this module (tests watch it).
  var loggerGlobal: Logger | undefined;
}

export const logger = (globalThis.loggerGlobal ??= pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { pid: process.pid },
}));
