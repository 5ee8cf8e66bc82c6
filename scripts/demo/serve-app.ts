// Serves the built app for the demo. remix-serve would do, except that it insists on
// NODE_ENV=production outside its dev loop, and the app (rightly) refuses the Shopify stand-in in
// production. This is remix-serve's essential part (static assets, compression), in development
// mode.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function serveBuiltApp(root: string, port: number) {
  const buildPath = path.join(root, "build/server/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  // As remix-serve and any host do: Polaris' stylesheet alone is 444 kB, 57 kB compressed.
  app.use(compression());
  app.use(
    build.publicPath,
    express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }),
  );
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "development" }));
  return new Promise<{ close(): Promise<void> }>((resolve) => {
    const server = app.listen(port, "127.0.0.1", () =>
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await serveBuiltApp(path.resolve(process.argv[2] ?? "."), Number(process.env.PORT));
  console.log(`app listening on http://127.0.0.1:${process.env.PORT}`);
}
