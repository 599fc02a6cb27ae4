/**
 * The cdktf CLI behind a Node check: cdktf-cli 0.21 loads a native terminal module
 * (@cdktf/node-pty-prebuilt-multiarch 0.10.2) whose prebuilt binaries stop at Node 22's ABI, so on Node 24 every
 * command that starts its UI dies with "Cannot find module '../build/Debug/pty.node'" and a stack trace.
 * The npm scripts that need the CLI go through here and fail with one sentence instead (the README has the same one).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { StackCommandError } from "./manifest";

export const CDKTF_CLI_NEEDS_NODE_22 =
  "The cdktf CLI (cdktf-cli 0.21) needs Node 22: its native terminal module has no build for Node 24, where npm run synth, plan, deploy and destroy do the same without it.";

/** Undefined when the CLI can start on this Node; else the sentence above. */
export function cdktfCliUnavailable(root: string): string | undefined {
  const terminalModule = "@cdktf/node-pty-prebuilt-multiarch";
  // Its loader prints the failed native load itself ("innerError Error: Cannot find module ..."): silenced here.
  const consoleError = console.error;
  console.error = () => undefined;
  try {
    createRequire(join(root, "package.json"))(terminalModule);
    return undefined;
  } catch {
    return CDKTF_CLI_NEEDS_NODE_22;
  } finally {
    console.error = consoleError;
  }
}

/** Runs `cdktf <args>` from node_modules with the terminal attached; returns its exit code. */
export function runCdktfCli(root: string, args: readonly string[]): number {
  const unavailable = cdktfCliUnavailable(root);
  if (unavailable) throw new StackCommandError(unavailable);
  const result = spawnSync(join(root, "node_modules", ".bin", "cdktf"), [...args], { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}
