/**
 * Runs tools/review/plan-stacks.sh (the planner CI runs: parallel plans, one init at a time, a shared lock
 * file per set of required providers, a log per stack) from TypeScript, for the benchmark, the tests and local
 * use; see that script for what it does and why.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

/** The planner script itself. */
export const PLAN_STACKS_SCRIPT = join(__dirname, "plan-stacks.sh");

/** One stack to plan. */
export interface PlanJob {
  readonly stack: string;
  /** Its working directory (synthesized `stacks/<name>`), as the planner will see it. */
  readonly dir: string;
  /** Canonical JSON of its `required_providers`: stacks with equal keys share a lock file. */
  readonly providersKey: string;
}

export interface PlannerOptions {
  /** Folder for `<stack>.json|txt|error` and `logs/`. */
  readonly outDir: string;
  /** Plans at the same time. @default the machine's cores */
  readonly concurrency?: number;
  /** @default "terraform" (from PATH) */
  readonly terraformBin?: string;
  /** Extra `terraform init` arguments (the offline bench passes `-backend=false -plugin-dir=...`). @default none */
  readonly initArgs?: readonly string[];
  /** Extra `terraform plan` arguments, after `-input=false -no-color -lock=false -out=tfplan`. @default none */
  readonly planArgs?: readonly string[];
  /** Shared provider cache (TF_PLUGIN_CACHE_DIR), created when missing. @default - the environment's */
  readonly pluginCacheDir?: string;
  /** Environment of the planner (GITHUB_TOKEN decides whether GitHub-provider stacks are planned). @default process.env */
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

/** `<stack>\t<dir>\t<leader dir>` lines: the leader is the first job with the same required providers. */
export function jobsFile(jobs: readonly PlanJob[]): string {
  const leaders = new Map<string, string>();
  for (const job of jobs) if (!leaders.has(job.providersKey)) leaders.set(job.providersKey, job.dir);
  return jobs.map((job) => `${job.stack}\t${job.dir}\t${leaders.get(job.providersKey)}\n`).join("");
}

/** Plans every job with plan-stacks.sh; resolves when all are done, whatever failed. Outcomes are in job order. */
export async function planStacks(jobs: readonly PlanJob[], options: PlannerOptions): Promise<PlanOutcome[]> {
  mkdirSync(join(options.outDir, "logs"), { recursive: true });
  const file = join(options.outDir, "logs", "jobs.tsv");
  writeFileSync(file, jobsFile(jobs));
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    PLAN_CONCURRENCY: String(options.concurrency ?? defaultConcurrency()),
    TERRAFORM: options.terraformBin ?? "terraform",
    TF_INIT_ARGS: (options.initArgs ?? []).join(" "),
    TF_PLAN_ARGS: (options.planArgs ?? []).join(" "),
  };
  if (options.pluginCacheDir) env.TF_PLUGIN_CACHE_DIR = options.pluginCacheDir;
  const stderr = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn("bash", [PLAN_STACKS_SCRIPT, file, options.outDir], { env, stdio: ["ignore", "ignore", "pipe"] });
    const chunks: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`plan-stacks.sh exited with ${code}: ${Buffer.concat(chunks).toString("utf8").trim()}`))));
  });
  if (stderr.trim()) process.stderr.write(stderr);
  return jobs.map((job) => {
    const result = join(options.outDir, "logs", `${job.stack}.result`);
    const [status, initMs, planMs] = existsSync(result) ? readFileSync(result, "utf8").trim().split(" ") : ["failed", "0", "0"];
    return { stack: job.stack, status: status as PlanOutcome["status"], initMs: Number(initMs), planMs: Number(planMs) };
  });
}
