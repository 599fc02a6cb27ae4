#!/usr/bin/env node
/**
 * The CDKTF app command (cdktf.json): runs main.ts from a cached single-file esbuild bundle
 * (tools/app-command/bundle.mjs says why), so `npm run synth` and `cdktf synth` stay well under a second.
 */
import { requireBundled } from "./bundle.mjs";

await requireBundled("main.ts", "bluegreen-app");
