#!/usr/bin/env node
/**
 * `npm run synth | plan | deploy | destroy | get`: loads scripts/stacks/cli.ts from its cached bundle
 * (scripts/bundle.mjs) and runs it. No cdktf CLI start-up; works on Node 22 and 24.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { requireBundled } from "../bundle.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { main } = await requireBundled("scripts/stacks/cli.ts", "stack-commands");
process.exitCode = (await main(root, process.argv.slice(2))) || process.exitCode;
