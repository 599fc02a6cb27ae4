/**
 * `npm run test:emulator`: the stacks applied, re-planned, operated and destroyed in an emulated AWS account.
 *
 * Per example config, on its own emulator (tools/emulator/server.py, loopback only): `npm run synth`, then the
 * first-deploy order with the project's own commands against the emulator (`AWS_EMULATOR_URL`): `npm run deploy --
 * bootstrap` (local state), then the access stack and the application stacks on the S3 backend bootstrap created;
 * `npm run plan` of every stack must show no changes; `bluegreen status --json` per service and environment must
 * name what Terraform state says was created; then the documented destroy (allowDestroy: true, deploy, destroy in
 * reverse order, bootstrap last) must leave nothing behind in the emulator.
 *
 * Usage: see USAGE.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { toMirroredProviderJson } from "../offline-terraform";
import { readManifest, SynthesizedStack } from "../stack-cli/manifest";
import { emulatorUnavailable, EmulatorServer, PYTHON, startEmulator } from "./server-process";
import { ExpectedStatus, expectedStatus, stateResources, StatusJson, statusDifferences } from "./state";
import { emptyBucket, Inventory, inventory, leftovers } from "./account";

export const ROOT = resolve(__dirname, "..", "..");
const TERRAFORM = process.env.TERRAFORM_BIN ?? "/usr/local/bin/terraform";
const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";

/** Run in CI: the default config (about 6 minutes on 2 cores; CI's whole run must stay under 15). */
export const CI_EXAMPLES = ["default.yaml"];
/** Run with --all (or --example) as well: the fleet config first; the examples left out are listed in tools/emulator/README.md with the reason. */
export const MORE_EXAMPLES = ["fleet.yaml", "ecs-native.yaml", "single-env-https.yaml"];

class RunFailed extends Error {}

/** Process groups of the commands in flight: ended with the run, however it ends (they talk to its emulators). */
const running = new Set<number>();
function endRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
process.on("exit", endRunning);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

interface Timing {
  readonly step: string;
  readonly stack: string;
  readonly seconds: number;
}

interface ExampleResult {
  readonly example: string;
  readonly ok: boolean;
  readonly timings: readonly Timing[];
  readonly message?: string;
}

/** One example's run: its folder, emulator, environment and the timings it collects. */
class ExampleRun {
  readonly out: string;
  readonly timings: Timing[] = [];
  private step = 0;

  constructor(
    readonly example: string,
    readonly dir: string,
    readonly server: EmulatorServer,
    readonly log: (line: string) => void,
  ) {
    this.out = join(dir, "cdktf.out");
  }

  get config(): string {
    return join(this.dir, "config.yaml");
  }

  /** The environment of every command: the emulator, dummy keys, the offline provider mirror; no AWS profile. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const kept = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_") && !key.startsWith("TF_")));
    return {
      ...kept,
      DEPLOY_CONFIG: this.config,
      AWS_EMULATOR_URL: this.server.url,
      AWS_ENDPOINT_URL: this.server.url,
      AWS_ACCESS_KEY_ID: "emulator",
      AWS_SECRET_ACCESS_KEY: "emulator",
      AWS_EC2_METADATA_DISABLED: "true",
      CDKTF_OUTDIR: this.out,
      TERRAFORM_BINARY_NAME: TERRAFORM,
      TF_CLI_ARGS: "-no-color",
      TF_CLI_ARGS_init: `-plugin-dir=${PLUGIN_DIR}`,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      TF_CLI_CONFIG_FILE: join(this.dir, "terraformrc"),
      ...extra,
    };
  }

  /** Runs a command, its output in a log file; returns the output lines with the time each arrived. */
  async command(name: string, args: readonly string[]): Promise<{ code: number; lines: { at: number; text: string }[]; logFile: string }> {
    const logFile = join(this.dir, `${String(++this.step).padStart(2, "0")}-${name}.log`);
    const lines: { at: number; text: string }[] = [];
    const started = Date.now();
    const code = await new Promise<number>((resolveCode) => {
      const child = spawn(args[0], args.slice(1), { cwd: ROOT, env: this.env(), stdio: ["ignore", "pipe", "pipe"], detached: true });
      if (child.pid) running.add(child.pid);
      let pending = "";
      const take = (chunk: Buffer) => {
        pending += chunk.toString();
        const parts = pending.split("\n");
        pending = parts.pop() as string;
        for (const text of parts) lines.push({ at: Date.now(), text });
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      child.on("close", (status) => {
        if (child.pid) running.delete(child.pid);
        if (pending) lines.push({ at: Date.now(), text: pending });
        resolveCode(status ?? 1);
      });
    });
    writeFileSync(logFile, lines.map((l) => l.text).join("\n"));
    this.log(`${name}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { code, lines, logFile };
  }

  /** `npm run <script> -- <args>`, as a user runs it; fails the run (with Terraform's errors) unless it exits 0. */
  async npm(name: string, script: string, args: readonly string[]): Promise<{ at: number; text: string }[]> {
    const result = await this.command(name, ["npm", "run", "--silent", script, "--", ...args]);
    if (result.code !== 0) throw new RunFailed(`${name} failed (exit ${result.code}):\n${errorExcerpt(result.lines.map((l) => l.text))}\nfull log: ${result.logFile}`);
    return result.lines;
  }

  /** Per-stack seconds of a stack command's output (each stack's section starts with "<stack>: terraform init"). */
  record(step: string, lines: readonly { at: number; text: string }[], stacks: readonly string[]): void {
    const starts = lines.filter((l) => stacks.some((s) => l.text.startsWith(`${s}: terraform init`)));
    starts.forEach((start, i) => {
      const end = starts[i + 1]?.at ?? lines[lines.length - 1].at;
      this.timings.push({ step, stack: start.text.split(":")[0], seconds: (end - start.at) / 1000 });
    });
  }
}

/** Terraform's error blocks (without the one-line JSON configuration it quotes), at most 60 lines. */
export function errorExcerpt(lines: readonly string[]): string {
  const picked: string[] = [];
  let inError = false;
  for (const line of lines) {
    if (/^(│ )?(Error|error)\b/.test(line.trim())) inError = true;
    if (inError && line.length < 400) picked.push(line);
  }
  return (picked.length > 0 ? picked : lines.slice(-30)).slice(0, 60).join("\n");
}

/** The synthesized stacks Terraform can apply here: every stack without the GitHub provider. */
function awsStacks(out: string): SynthesizedStack[] {
  return readManifest(out).filter((stack) => {
    const json = JSON.parse(readFileSync(stack.synthesizedStackPath, "utf8")) as { provider?: Record<string, unknown> };
    return json.provider?.github === undefined && json.provider?.aws !== undefined;
  });
}

/** Rewrites each AWS stack for the mirrored provider 5.100.0 (version and 6.x-only arguments, as offline). */
function downgradeForMirror(stacks: readonly SynthesizedStack[], liftBootstrapProtection = false): void {
  for (const stack of stacks) {
    const json = toMirroredProviderJson(JSON.parse(readFileSync(stack.synthesizedStackPath, "utf8")));
    if (liftBootstrapProtection && stack.name === "bootstrap") liftPreventDestroy(json as { resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>> });
    writeFileSync(stack.synthesizedStackPath, JSON.stringify(json));
  }
}

/**
 * docs/operations.md releases the state bucket's protection by editing stacks/bootstrap-stack.ts
 * (`preventDestroy: false` on StateBucket); the run does the same to the synthesized bootstrap stack.
 */
function liftPreventDestroy(json: { resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>> }): void {
  for (const blocks of Object.values(json.resource ?? {})) {
    for (const block of Object.values(blocks)) if (block.lifecycle?.prevent_destroy) block.lifecycle.prevent_destroy = false;
  }
}

/** Stacks whose plan section did not say "No changes.", with the resources Terraform would change. */
export function changedStacks(lines: readonly string[], stacks: readonly string[]): string[] {
  const changed: string[] = [];
  let current: string | undefined;
  let section: string[] = [];
  const close = () => {
    if (current && !section.some((l) => l.includes("No changes."))) {
      const resources = section.filter((l) => /^\s*# \S+ (will|must) be /.test(l)).map((l) => l.trim());
      changed.push(`${current}: ${resources.join("; ") || section.find((l) => l.startsWith("Plan:")) || "no plan summary"}`);
    }
  };
  for (const line of lines) {
    const start = stacks.find((s) => line.startsWith(`${s}: terraform init`));
    if (start) {
      close();
      current = start;
      section = [];
    } else section.push(line);
  }
  close();
  return changed;
}

/**
 * The stacks after bootstrap in two layers: first the stacks that read no other stack, the access stack first (the
 * documented first-deploy order: access, then the project's or the fleet's platform); then the stacks that read them
 * through remote state (fleet services), which plan and apply independently of each other (README, "Many services").
 */
export function layers(stacks: readonly SynthesizedStack[]): { base: string[]; dependants: string[] } {
  const rest = stacks.filter((s) => s.name !== "bootstrap");
  const base = rest.filter((s) => !s.dependencies.some((d) => rest.some((r) => r.name === d))).map((s) => s.name);
  return {
    base: [...base.filter((n) => n.endsWith("-access")), ...base.filter((n) => !n.endsWith("-access"))],
    dependants: rest.map((s) => s.name).filter((n) => !base.includes(n)),
  };
}

/** Runs a stack command per dependant stack, side by side (as parallel CI jobs would), each without its dependencies named. */
async function eachDependant(run: ExampleRun, verb: "deploy" | "destroy", dependants: readonly string[], common: readonly string[]): Promise<void> {
  const results = await Promise.allSettled(
    dependants.map(async (name) => run.record(verb, await run.npm(`${verb}-${name}`, verb, [name, "--ignore-missing-stack-dependencies", ...common]), [name])),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length > 0) throw failed[0].reason;
}

async function deployAll(run: ExampleRun, stacks: readonly SynthesizedStack[]): Promise<void> {
  const names = stacks.map((s) => s.name);
  const { base, dependants } = layers(stacks);
  const common = ["--skip-synth", "--auto-approve", "--output", run.out];
  run.record("deploy", await run.npm("deploy-bootstrap", "deploy", ["bootstrap", ...common]), ["bootstrap"]);
  run.record("deploy", await run.npm("deploy-stacks", "deploy", [...base, ...common]), base);
  await eachDependant(run, "deploy", dependants, common);
  const plan = await run.npm("plan-again", "plan", [...names, "--skip-synth", "--output", run.out]);
  run.record("plan", plan, names);
  const changed = changedStacks(
    plan.map((l) => l.text),
    names,
  );
  if (changed.length > 0) throw new RunFailed(`the second plan is not empty (no changes expected):\n${changed.join("\n")}`);
}

async function checkStatus(run: ExampleRun, stacks: readonly SynthesizedStack[], project: string, fleet: boolean): Promise<void> {
  const problems: string[] = [];
  for (const stack of stacks) {
    const expected: ExpectedStatus | undefined = expectedStatus(stateResources(stack.workingDirectory, TERRAFORM, run.env()));
    if (!expected) continue;
    const service = fleet ? ["--service", stack.name.slice(project.length + 1)] : [];
    for (const environment of expected.environments) {
      const started = Date.now();
      const result = await run.command(`status-${stack.name}-${environment.name}`, ["npm", "run", "--silent", "ops", "--", "status", "--env", environment.name, ...service, "--json"]);
      const text = result.lines.map((l) => l.text).join("\n");
      if (result.code !== 0) {
        problems.push(`bluegreen status --env ${environment.name} ${service.join(" ")} exited ${result.code}: ${errorExcerpt(text.split("\n"))}`);
        continue;
      }
      problems.push(...statusDifferences(JSON.parse(text) as StatusJson, expected, environment.name));
      run.timings.push({ step: "status", stack: `${stack.name} --env ${environment.name}`, seconds: (Date.now() - started) / 1000 });
      run.log(`status ${stack.name} ${environment.name}: cluster ${environment.cluster}, service ${environment.service}, ${environment.taskDefinition}, production :${environment.production.port} -> ${environment.production.targetGroups[0].name}, test :${environment.test.port} -> ${environment.test.targetGroups[0].name}, pipeline ${expected.pipeline}`);
    }
  }
  if (problems.length > 0) throw new RunFailed(`bluegreen status does not match what was created:\n${problems.join("\n")}`);
}

async function destroyAll(run: ExampleRun, stacks: readonly SynthesizedStack[], before: Inventory, regions: readonly string[], stateBucket: string): Promise<void> {
  // docs/operations.md, "Destroying": allowDestroy: true in a reviewed change, then destroy.
  const config = parse(readFileSync(run.config, "utf8")) as { allowDestroy?: boolean; environments: { allowDestroy?: boolean }[] };
  config.allowDestroy = true;
  config.environments.forEach((e) => (e.allowDestroy = true));
  writeFileSync(run.config, stringify(config));
  await run.npm("synth-allow-destroy", "synth", ["--output", run.out]);
  downgradeForMirror(awsStacks(run.out), true);
  // The deploy of that change is left out: prevent_destroy lives in the configuration only, never in state, so it
  // applies nothing (Terraform docs, lifecycle meta-argument), and the destroy below reads the new synth.
  const { base, dependants } = layers(stacks);
  // The GitHub stacks were never deployed (no GitHub provider here): destroy runs without them.
  const common = ["--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies", "--output", run.out];
  await eachDependant(run, "destroy", dependants, common);
  run.record("destroy", await run.npm("destroy-stacks", "destroy", [...base, ...common]), base);
  // The state bucket is versioned and nothing uses force_destroy: its object versions go first.
  const removed = emptyBucket(run.server.url, stateBucket, regions[regions.length - 1]);
  run.log(`emptied s3://${stateBucket}: ${removed} object versions and delete markers`);
  run.record("destroy", await run.npm("destroy-bootstrap", "destroy", ["bootstrap", ...common]), ["bootstrap"]);
  const left = leftovers(before, inventory(run.server.url, regions));
  if (left.length > 0) throw new RunFailed(`left behind in the emulator after destroy:\n${left.join("\n")}`);
}

async function runExample(example: string, keep: boolean): Promise<ExampleResult> {
  const dir = mkdtempSync(join(tmpdir(), `emulator-${example.replace(/\.ya?ml$/, "")}-`));
  const log = (line: string) => console.log(`[${example}] ${line}`);
  writeFileSync(join(dir, "terraformrc"), "");
  writeFileSync(join(dir, "config.yaml"), readFileSync(join(ROOT, "config", "examples", example)));
  const server = await startEmulator(join(dir, "emulator.log"));
  const run = new ExampleRun(example, dir, server, log);
  log(`emulator on ${server.url}, work folder ${dir}`);
  try {
    const config = parse(readFileSync(run.config, "utf8")) as { project: string; region: string; services?: unknown[]; state: { bucket: string; region?: string } };
    const regions = [config.region, config.state.region ?? config.region];
    await run.npm("synth", "synth", ["--output", run.out]);
    const stacks = awsStacks(run.out);
    downgradeForMirror(stacks);
    const before = inventory(server.url, regions);
    await deployAll(run, stacks);
    await checkStatus(run, stacks, config.project, config.services !== undefined);
    await destroyAll(run, stacks, before, regions, config.state.bucket);
    return { example, ok: true, timings: run.timings };
  } catch (error) {
    return { example, ok: false, timings: run.timings, message: error instanceof RunFailed ? error.message : `unexpected: ${(error as Error).message}` };
  } finally {
    await server.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function report(results: readonly ExampleResult[], seconds: number): void {
  console.log("\nemulator run: seconds per stack and step");
  for (const r of results) {
    console.log(`${r.example}: ${r.ok ? "passed" : "FAILED"}`);
    for (const t of r.timings) console.log(`  ${t.step.padEnd(8)} ${t.stack.padEnd(40)} ${t.seconds.toFixed(1).padStart(7)} s`);
    if (r.message) console.log(r.message.replace(/^/gm, "  "));
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`\nemulator run: ${results.length} examples in ${seconds.toFixed(0)} s`);
  console.log(`emulator: ${passed} passed, ${results.length - passed} failed`);
}

export const USAGE = `usage: npm run test:emulator -- [--all | --example <file.yaml>...] [--keep] [--jobs <n>]
  Applies each example's AWS stacks to a local AWS emulator (moto on 127.0.0.1, tools/emulator/README.md) with
  npm run deploy, plans them again (no changes allowed), checks bluegreen status against Terraform state, destroys
  them and checks nothing is left. Without options: ${CI_EXAMPLES.join(", ")} (what CI runs).
  --all                 also ${MORE_EXAMPLES.join(", ")}
  --example <file>      one example of config/examples (repeatable)
  --keep                keep each example's work folder (command and emulator logs)
  --jobs <n>            examples run side by side (default 2)`;

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const examples: string[] = [];
  let keep = false;
  let jobs = 2;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--all") examples.push(...CI_EXAMPLES, ...MORE_EXAMPLES);
    else if (argv[i] === "--example") examples.push(argv[++i] ?? "");
    else if (argv[i] === "--keep") keep = true;
    else if (argv[i] === "--jobs") jobs = Number(argv[++i]);
    else {
      console.error(`error: unknown argument "${argv[i]}" (allowed: --all, --example <file.yaml>, --keep, --jobs <n>)`);
      return 2;
    }
  }
  const chosen = [...new Set(examples.length > 0 ? examples : CI_EXAMPLES)];
  const known = [...CI_EXAMPLES, ...MORE_EXAMPLES];
  const unknown = chosen.find((e) => !known.includes(e));
  if (unknown !== undefined || !(jobs >= 1)) {
    console.error(unknown !== undefined ? `error: --example must be one of ${known.join(", ")} (got "${unknown}")` : `error: --jobs must be 1 or more`);
    return 2;
  }
  const missing = emulatorUnavailable();
  if (missing) {
    console.error(`error: ${missing}`);
    return 1;
  }
  // The patches' and the stand-in's own tests first: a moto that changed shows up here, before any apply.
  const unit = spawnSync(PYTHON, ["-m", "unittest", "discover", "-s", join(ROOT, "__tests__", "tools", "emulator"), "-p", "test_*.py"], { stdio: "inherit" });
  if (unit.status !== 0) {
    console.error("error: the emulator's own tests failed (above); the stacks were not applied");
    return 1;
  }
  const started = Date.now();
  const queue = [...chosen];
  const results: ExampleResult[] = [];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.push(await runExample(next, keep));
    }),
  );
  results.sort((a, b) => chosen.indexOf(a.example) - chosen.indexOf(b.example));
  report(results, (Date.now() - started) / 1000);
  return results.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
