// `npm run demo` with its port taken: one line that names PORT, before any slow step, and nothing
// left running, also when the port is taken only after the pipeline has started.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PortInUseError } from "../../../scripts/demo/admin-host";
import { startDemo } from "../../../scripts/demo/main";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      // The stand-in may have posted webhooks to the squatter: drop those connections too.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function occupy(port = 0) {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return (server.address() as { port: number }).port;
}

/** Whether anything accepts connections on the port. */
function listening(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Processes of a process group that are still running (exited ones awaiting reaping excluded). */
function runningInGroup(pgid: number) {
  const running: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...; comm may contain spaces, so split after its ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z")
      running.push(stat.slice(0, stat.lastIndexOf(")") + 1));
  }
  return running;
}

const message = (port: number) =>
  `Port ${port} is in use; set PORT to a free port (PORT=${port + 1} npm run demo)`;

describe("npm run demo on a taken port", () => {
  it("prints one line naming PORT and exits, with no process of its own left", async () => {
    const port = await occupy();
    // Its own process group: whatever it starts belongs to the group and can be looked for after.
    const demo = spawn("node_modules/.bin/tsx", ["scripts/demo/main.ts"], {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    demo.stdout.on("data", (chunk: Buffer) => (output += chunk));
    demo.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => demo.on("close", resolve));
    expect(code).toBe(1);
    expect(output.trimEnd().split("\n")).toEqual([message(port)]);
    // Nothing it started lives on (its esbuild helper may take a moment to go).
    await expect.poll(() => runningInGroup(demo.pid!), { timeout: 5000 }).toEqual([]);
  });

  it("startDemo rejects before any step when the port is taken", async () => {
    const port = await occupy();
    const lines: string[] = [];
    await expect(startDemo({ port, log: (line) => lines.push(line) })).rejects.toThrow(
      new PortInUseError(port),
    );
    expect(lines).toEqual([]);
  });

  it(
    "stops the stand-in and the app server when the port is taken while the pipeline runs",
    { timeout: 400_000 },
    async () => {
      const port = await occupy();
      await new Promise((resolve) => servers.pop()!.close(resolve)); // free at the check
      const lines: string[] = [];
      let taken: Promise<number> | null = null;
      const started = startDemo({
        // Its own shop: test files share the run's database.
        shop: "persegment-demo-port.myshopify.com",
        port,
        customers: 50,
        databaseUrl: process.env.DATABASE_URL,
        log: (line) => {
          lines.push(line);
          // Someone else takes the port once the slow steps have begun.
          if (!taken && line.includes("building the app")) taken = occupy(port);
        },
      });
      await expect(started).rejects.toThrow(new PortInUseError(port));
      expect(taken).not.toBeNull();
      // It got as far as starting everything else, then stopped all of it.
      const origin = (name: string) => {
        const line = lines.find((candidate) => candidate.includes(`${name} at http://`));
        if (!line) throw new Error(`no "${name} at" line in:\n${lines.join("\n")}`);
        return Number(/:(\d+)\b/.exec(line.split(" at ")[1])![1]);
      };
      expect(await listening(origin("Shopify stand-in"))).toBe(false);
      expect(await listening(origin("app"))).toBe(false);
      expect(await listening(origin("storefront preview"))).toBe(false);
    },
  );
});
