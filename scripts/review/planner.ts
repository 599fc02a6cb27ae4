/**
 * Plans many stacks in parallel: bounded concurrency, one log per stack, and one stack's failure never stops
 * or hides the others. Writes, per stack, what scripts/plan-comment.ts reads: `<stack>.json` (`terraform show
 * -json`), `<stack>.txt` (the plan as text) or `<stack>.error` (the end of its log); full logs in `logs/`.
 *
 * Provider plugins: `terraform init` runs one at a time, while plans run in parallel. Terraform documents the
 * plugin cache (TF_PLUGIN_CACHE_DIR) as "not guaranteed to be concurrency safe" ("the provider installer's
 * behavior in environments with multiple terraform init calls is undefined"), so nothing here relies on
 * concurrent inits; with the cache warm an init only links the cached provider, which keeps the serial part short.
 * Since Terraform 1.4 an init only takes a provider from the cache when the working directory's lock file
 * already records its checksum, and downloads it otherwise (hashicorp/terraform#32129, "Ignore lock-mismatching
 * global cache entries"); cdktf writes no lock file. So the first stack of each set of required providers
 * initializes first, and its `.terraform.lock.hcl` is copied to the stacks that require the same providers
 * before they initialize: each provider is downloaded once per run, then linked from the cache.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

/** One stack to plan. */
export interface PlanJob {
  readonly stack: string;
  /** Its working directory (synthesized `stacks/<name>`). */
  readonly dir: string;
  /** Canonical JSON of its `required_providers`: stacks with equal keys share a lock file. */
  readonly providersKey: string;
  /** Set to skip the stack with this explanation (written as its plan text). */
  readonly skip?: string;
}

export interface PlannerOptions {
  /** Folder for `<stack>.json|txt|error` and `logs/<stack>.log`. */
  readonly outDir: string;
  /** Plans at the same time. @default the machine's available parallelism (its cores) */
  readonly concurrency?: number;
  /** @default "terraform" (from PATH) */
  readonly terraformBin?: string;
  /** Extra `terraform init` arguments (the offline bench passes `-backend=false -plugin-dir=...`). @default none */
  readonly initArgs?: readonly string[];
  /** Extra `terraform plan` arguments, after `-input=false -no-color -lock=false -out=tfplan`. @default none */
  readonly planArgs?: readonly string[];
  /** Shared provider cache, created when missing (TF_PLUGIN_CACHE_DIR). @default - Terraform's own setting */
  readonly pluginCacheDir?: string;
  /** Environment of every Terraform process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface PlanOutcome {
  readonly stack: string;
  readonly status: "planned" | "failed" | "skipped";
  readonly initMs: number;
  readonly planMs: number;
}

/** The default concurrency: one plan per core. */
export function defaultConcurrency(): number {
  return availableParallelism();
}

/** Plans every job; resolves when all are done, whatever failed. Outcomes are in job order. */
export async function planStacks(jobs: readonly PlanJob[], options: PlannerOptions): Promise<PlanOutcome[]> {
  const logs = join(options.outDir, "logs");
  mkdirSync(logs, { recursive: true });
  if (options.pluginCacheDir) mkdirSync(options.pluginCacheDir, { recursive: true });
  const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency());
  const initQueue = new SerialQueue();
  const leaders = new Map<string, PlanJob>();
  for (const job of jobs) if (!job.skip && !leaders.has(job.providersKey)) leaders.set(job.providersKey, job);
  // Leaders first, so that each lock file exists before the stacks that copy it initialize.
  const order = [...new Set([...leaders.values(), ...jobs])];
  const outcomes = new Map<string, PlanOutcome>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const job = order[next++];
      outcomes.set(job.stack, await planOne(job, leaders.get(job.providersKey), initQueue, options));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, order.length) }, worker));
  return jobs.map((job) => outcomes.get(job.stack)!);
}

async function planOne(job: PlanJob, leader: PlanJob | undefined, initQueue: SerialQueue, options: PlannerOptions): Promise<PlanOutcome> {
  const out = (suffix: string): string => join(options.outDir, `${job.stack}${suffix}`);
  if (job.skip) {
    writeFileSync(out(".txt"), job.skip);
    return { stack: job.stack, status: "skipped", initMs: 0, planMs: 0 };
  }
  const log: string[] = [];
  const run = (args: readonly string[]) => terraform(job.dir, args, options, log);
  let initMs = 0;
  let planMs = 0;
  try {
    initMs = await initQueue.run(async () => {
      const start = performance.now();
      const lock = leader && join(leader.dir, ".terraform.lock.hcl");
      if (leader && leader !== job && lock && existsSync(lock)) copyFileSync(lock, join(job.dir, ".terraform.lock.hcl"));
      await run(["init", "-input=false", "-no-color", ...(options.initArgs ?? [])]);
      return performance.now() - start;
    });
    const start = performance.now();
    const plan = await run(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan", ...(options.planArgs ?? [])]);
    const json = await run(["show", "-json", "tfplan"]);
    planMs = performance.now() - start;
    writeFileSync(out(".json"), json);
    writeFileSync(out(".txt"), planText(plan));
    return { stack: job.stack, status: "planned", initMs, planMs };
  } catch (error) {
    log.push(String((error as Error).message));
    const text = log.join("\n");
    writeFileSync(out(".error"), text.slice(-20_000));
    return { stack: job.stack, status: "failed", initMs, planMs };
  } finally {
    writeFileSync(join(options.outDir, "logs", `${job.stack}.log`), log.join("\n"));
  }
}

/** The plan's own text without the per-resource refresh lines (the comment shows what changes). */
export function planText(output: string): string {
  return output
    .split("\n")
    .filter((line) => !/: (Refreshing state\.\.\.|Reading\.\.\.|Read complete after)/.test(line))
    .join("\n")
    .trim();
}

/** Runs terraform in `dir`; resolves with stdout, rejects on a non-zero exit. stdout and stderr go to `log`. */
function terraform(dir: string, args: readonly string[], options: PlannerOptions, log: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  if (options.pluginCacheDir) env.TF_PLUGIN_CACHE_DIR = options.pluginCacheDir;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.terraformBin ?? "terraform", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const text = Buffer.concat(stdout).toString("utf8");
      // `show -json` is the plan itself, kept out of the log.
      log.push(`$ terraform ${args.join(" ")}`, args[0] === "show" ? "(plan JSON)" : text, Buffer.concat(stderr).toString("utf8"));
      if (code === 0) resolvePromise(text);
      else reject(new Error(`terraform ${args[0]} exited with ${code}`));
    });
  });
}

/** Runs tasks one at a time, in the order they were queued. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
