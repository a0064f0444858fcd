/**
 * The one-way import rule of DESIGN.md: samplers/ → diagnostics/ → src/.
 * src/ never imports samplers/ or diagnostics/ (its two entry points aside: the package entry
 * src/index.ts and the command line src/cli/), diagnostics/ never imports samplers/, and there are
 * no cycles anywhere. Node's built-in modules only in the Node-only places (core-is-browser-safe).
 */
module.exports = {
  forbidden: [
    {
      name: "src-is-the-foundation",
      comment: "src/ is the foundation: it may not import diagnostics/ or samplers/ (entries aside).",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/index\\.ts$", "^src/cli/"] },
      to: { path: "^(samplers|diagnostics)/" },
    },
    {
      name: "diagnostics-know-no-models",
      comment: "diagnostics/ are pure functions of draws: they may not import samplers/.",
      severity: "error",
      from: { path: "^diagnostics/" },
      to: { path: "^samplers/" },
    },
    {
      name: "core-is-browser-safe",
      comment:
        "Only the Node-only entry (src/node/), the command line (src/cli/) and worker-thread code may import Node's built-in modules statically; the main entry must load in a browser (a guarded dynamic import is fine).",
      severity: "error",
      from: { pathNot: ["^src/node/", "^src/cli/", "^samplers/worker\\.ts$"] },
      to: { dependencyTypes: ["core"], dynamic: false },
    },
    {
      name: "no-cycles",
      comment: "Files form a DAG.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
