/**
 * Import rules for app/ (`npm run lint` runs them): the layers README.md's Architecture section
 * describes, and no cycles, between modules or between folders. Top to bottom:
 *   routes, cli, entry.server  →  pipeline.server (the composition root)  →  services
 *   (webhooks, sync, segments, predictions, tags, storefront, measurement, cleanup, shops,
 *   errors)  →  models, shopify, jobs  →  domain. Lower layers never import higher ones.
 */
const SERVICES =
  "(webhooks|sync|segments|predictions|tags|storefront|measurement|cleanup|shops|errors)";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules import one another in one direction only.",
      severity: "error",
      from: { path: "^app/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      comment: "Folders depend on one another in one direction only.",
      severity: "error",
      scope: "folder",
      from: { path: "^app" },
      to: { path: "^app", circular: true },
    },
    {
      name: "domain-is-pure",
      comment: "app/domain is plain TypeScript: it imports only itself.",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { path: "^app/", pathNot: "^app/domain/" },
    },
    {
      name: "models-below-services",
      comment: "app/models stores and reads; it knows nothing of the services, jobs or routes.",
      severity: "error",
      from: { path: "^app/models/" },
      to: {
        path: `^app/(${SERVICES.slice(1, -1)}|jobs|shopify|routes|cli)/|^app/(pipeline|shopify)\\.server\\.ts$`,
      },
    },
    {
      name: "shopify-gateway-is-only-http",
      comment: "The Shopify gateway and its operations send requests; they read no database.",
      severity: "error",
      from: { path: "^app/shopify/" },
      to: {
        path: `^app/(models|${SERVICES.slice(1, -1)}|jobs|routes|cli)/|^app/(db|pipeline|shopify)\\.server\\.ts$`,
      },
    },
    {
      name: "job-engines-know-no-jobs",
      comment: "app/jobs runs jobs; what they are is decided by the pipeline.",
      severity: "error",
      from: { path: "^app/jobs/" },
      to: { path: "^app/", pathNot: "^app/(jobs/|logger\\.server\\.ts$)" },
    },
    {
      name: "services-below-the-pipeline",
      comment:
        "Services do their own step; the pipeline, routes and CLI call them, not the reverse.",
      severity: "error",
      from: { path: `^app/${SERVICES}/` },
      to: { path: "^app/(routes|cli)/|^app/(pipeline|shopify|entry)\\.server\\.tsx?$" },
    },
    {
      name: "only-the-top-wires-the-pipeline",
      comment: "The composition root is used by the entry points only.",
      severity: "error",
      from: {
        path: "^app/",
        pathNot: "^app/(routes/|cli/|entry\\.server\\.tsx$|shopify\\.server\\.ts$)",
      },
      to: { path: "^app/pipeline\\.server\\.ts$" },
    },
    {
      name: "routes-are-entry-points",
      comment: "Nothing in app/ imports a route.",
      severity: "error",
      from: { path: "^app/", pathNot: "^app/routes/" },
      to: { path: "^app/routes/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
