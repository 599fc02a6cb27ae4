/**
 * `npm run synth`: what `cdktf synth` (cdktf-cli 0.21, SynthStack.synth) does, without starting the CLI:
 * run cdktf.json's app command with the environment the CLI gives it, then remove stack folders of stacks that no
 * longer exist and print the stacks' annotations. The output folder is the same, byte for byte (tested against
 * `cdktf synth` for every example config). The CLI's start-up, telemetry and terminal UI are what is left out.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readManifest, StackCommandError, SynthesizedStack } from "./manifest";

/** The parts of cdktf.json the stack commands use. */
export interface CdktfJson {
  /** The app command. */
  readonly app: string;
  /** The output folder, relative to the project root. @default "cdktf.out" */
  readonly output: string;
}

export function readCdktfJson(root: string): CdktfJson {
  const file = join(root, "cdktf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as { app?: unknown; output?: unknown };
  if (typeof json.app !== "string" || json.app.trim() === "") throw new StackCommandError(`${file}: "app" must be the app command (got ${JSON.stringify(json.app)})`);
  return { app: json.app, output: typeof json.output === "string" ? json.output : "cdktf.out" };
}

/**
 * The app's environment, as cdktf-cli sets it: no TF_VAR_* (those are for Terraform at execution time), the output
 * folder, synth continuing past error annotations (they are reported afterwards), the context with the relative
 * Terraform modules of cdktf.json (none here), JSON output, and a 4 GiB heap unless NODE_OPTIONS is already set.
 */
export function appEnvironment(outdir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("TF_VAR_")));
  const context = env.CDKTF_CONTEXT_JSON ? (JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>) : {};
  return {
    ...kept,
    NODE_OPTIONS: kept.NODE_OPTIONS ? kept.NODE_OPTIONS : "--max-old-space-size=4096",
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: "false",
  };
}

/**
 * `node <script>` app commands run in this process (a second Node start-up is most of what the CLI costs beyond the
 * app itself); any other app command runs in a shell, as the CLI runs it. Returns false when the app failed
 * (it printed why).
 */
async function runApp(root: string, app: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const inProcess = /^node\s+(\S+\.m?js)$/.exec(app.trim());
  if (!inProcess) return spawnSync(app, { cwd: root, shell: true, stdio: "inherit", env }).status === 0;
  const saved = { ...process.env };
  const savedExitCode = process.exitCode;
  process.exitCode = 0;
  try {
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
    // The heap size of NODE_OPTIONS applies to child processes only; this process already runs with its own.
    await import(pathToFileURL(resolve(root, inProcess[1])).href);
    return !process.exitCode;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (!process.exitCode) process.exitCode = savedExitCode;
  }
}

/** The app failed and said why; the command exits non-zero without another message. */
export class AppFailed extends StackCommandError {
  constructor() {
    super("");
    this.name = "AppFailed";
  }
}

const LEVELS: Readonly<Record<string, string>> = { "@cdktf/info": "INFO", "@cdktf/warn": "WARN", "@cdktf/error": "ERROR" };

/**
 * Synthesizes the app into `outdir` (default: cdktf.json's output) and returns its stacks.
 * Throws a StackCommandError when the app failed or reported error annotations.
 */
export async function synthesize(root: string, outdir?: string): Promise<SynthesizedStack[]> {
  const config = readCdktfJson(root);
  const out = outdir ?? config.output;
  // The app has printed its own one-line report (a bad config, a policy violation): nothing to add to it.
  if (!(await runApp(root, config.app, appEnvironment(out)))) throw new AppFailed();
  const stacks = readManifest(resolve(root, out));
  const stacksDir = join(resolve(root, out), "stacks");
  const names = new Set(stacks.map((s) => s.name));
  if (existsSync(stacksDir)) {
    for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
      if (entry.isDirectory() && !names.has(entry.name)) rmSync(join(stacksDir, entry.name), { recursive: true });
    }
  }
  const annotations = stacks.flatMap((s) => s.annotations);
  for (const a of annotations) console.log(`${LEVELS[a.level] ?? a.level} [${a.constructPath}]: ${a.message}`);
  if (annotations.some((a) => a.level === "@cdktf/error")) {
    throw new StackCommandError("synth found error annotations (listed above); nothing was deployed");
  }
  return stacks;
}
