// Prisma's wasm schema engine leaves 10–60 s timers behind, which keeps CLI commands idle after
// their work is done. Unref long timers so the process exits as soon as it has nothing else to do.
const setTimeoutOriginal = global.setTimeout;
global.setTimeout = function (callback, ms, ...args) {
  const timer = setTimeoutOriginal.call(this, callback, ms, ...args);
  if (ms >= 10000) timer.unref?.();
  return timer;
};
