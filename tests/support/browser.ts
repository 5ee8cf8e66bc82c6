import Chromium from "@sparticuz/chromium";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/**
 * The Chromium to drive: `CHROMIUM_PATH` if set, else the system's (Debian's package) when it is
 * installed, else the build shipped inside the `@sparticuz/chromium` npm package (a devDependency,
 * unpacked to the temp folder on first use), so a fresh clone needs nothing installed by hand.
 */
export async function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return Chromium.executablePath();
}

/**
 * The user agent of a desktop Chrome of the same version. Headless Chromium announces itself as
 * "HeadlessChrome", which isbot (inside @shopify/shopify-app-remix) answers with 410 Gone on every
 * admin page; these browsers stand in for a merchant, so they say what the merchant's would.
 */
function desktopUserAgent(executable: string) {
  const version = /(\d+\.\d+\.\d+\.\d+)/.exec(
    execFileSync(executable, ["--version"], { encoding: "utf8" }),
  )?.[1];
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version ?? "130.0.0.0"} Safari/537.36`;
}

/** Headless Chromium with nothing that would reach for the network on its own. */
export async function launchChromium() {
  const executablePath = await chromiumExecutable();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-agent=${desktopUserAgent(executablePath)}`,
    ],
  });
}
