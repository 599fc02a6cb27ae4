/** Jest runs TypeScript through SWC: no type-checking here (that is `npm run typecheck`), so the suite stays fast. */
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { jestModuleNameMapper } = require("./scripts/provider-bindings.cjs");

module.exports = {
  testEnvironment: "node",
  // app/ is the sample application repository: its own tests run here while it exists, and deleting or
  // replacing it breaks nothing else (the deploy-file contract lives in constructs/assets/deploy-files).
  roots: ["<rootDir>/__tests__", ...(existsSync(join(__dirname, "app")) ? ["<rootDir>/app"] : [])],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/__tests__/terraform/"],
  // Speed (measured in issue 6). Jest's default is one worker less than the cores: on a 2-core machine that is
  // one, everything in band on one core. The main process only schedules, so use every core.
  maxWorkers: "100%",
  // Each worker reuses V8's compiled code of the modules its earlier test files loaded (see the file).
  runtime: join(__dirname, "__tests__", "jest", "code-cache-runtime.js"),
  // cdktf loads `archiver` eagerly for a child-process-only zip helper; load it on first use instead.
  // Generated provider bindings in .gen replace a prebuilt package where they exist (scripts/provider-bindings.cjs).
  moduleNameMapper: { "^archiver$": "<rootDir>/__tests__/jest/lazy-archiver.js", ...jestModuleNameMapper(__dirname) },
};
