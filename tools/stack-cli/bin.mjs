#!/usr/bin/env node
/**
 * `npm run synth | plan | deploy | destroy | get`: loads tools/stack-cli/cli.ts from its cached bundle
 * (tools/app-command/bundle.mjs) and runs it. No cdktf CLI start-up; works on Node 22 and 24.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { requireBundled } from "../app-command/bundle.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { main } = await requireBundled("tools/stack-cli/cli.ts", "stack-commands");
process.exitCode = (await main(root, process.argv.slice(2))) || process.exitCode;
