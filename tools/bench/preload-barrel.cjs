/**
 * Benchmark only: what the cdktf template's generated code does on start-up, `import * as aws from
 * "@cdktf/provider-aws"` (and the GitHub barrel when the app uses that provider). Loaded with `ts-node --require`
 * so the template way synthesizes exactly the same stacks as `main.ts`, only with the template's loading costs.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for `--require`, loading is its whole point */
require("@cdktf/provider-aws");
if (process.env.BENCH_BARREL_GITHUB === "1") require("@cdktf/provider-github");
