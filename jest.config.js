/** Jest runs TypeScript through SWC: no type-checking here (that is `npm run typecheck`), so the suite stays fast. */
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { speedTricksOn } = require("./speed/switch.cjs");
const { jestModuleNameMapper } = require("./tools/app-command/provider-bindings.cjs");

module.exports = {
  testEnvironment: "node",
  // app/ is the sample application repository: its own tests run here while it exists, and deleting or
  // replacing it breaks nothing else (the deploy-file contract lives in constructs/assets/deploy-files).
  roots: ["<rootDir>/__tests__", ...(existsSync(join(__dirname, "app")) ? ["<rootDir>/app"] : [])],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/__tests__/terraform/"],
  // Speed (docs/benchmarks.md). Jest's default is one worker less than the cores: on a 2-core machine that is
  // one, everything in band on one core. The main process only schedules, so use every core.
  maxWorkers: "100%",
  // Speed tricks on jest's and cdktf's internals (speed/README.md), all off with BLUEGREEN_SPEED_TRICKS=off.
  // Each worker reuses V8's compiled code of the modules its earlier test files loaded (see the file).
  ...(speedTricksOn() ? { runtime: join(__dirname, "speed", "jest-code-cache-runtime.js") } : {}),
  moduleNameMapper: {
    // cdktf loads `archiver` eagerly for a child-process-only zip helper; load it on first use instead (a speed trick).
    ...(speedTricksOn() ? { "^archiver$": "<rootDir>/speed/jest-lazy-archiver.js" } : {}),
    // Generated provider bindings in .gen replace a prebuilt package where they exist (tools/app-command/provider-bindings.cjs).
    ...jestModuleNameMapper(__dirname),
  },
};
