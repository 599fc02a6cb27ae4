/**
 * The pull request's "Plan every stack" step: decide which stacks the change needs planned (affected.ts), plan
 * them in parallel (planner.ts), and record the decisions for the comment (scripts/plan-comment.ts).
 *
 *   tsx scripts/review/plan.ts --head cdktf.out [--base base/cdktf.out] [--out plans] [--review review.json]
 *                              [--concurrency N] [--plugin-cache DIR] [--all]
 *
 *   --base          the base branch's synth; missing or unreadable: every stack is planned and the comment says why
 *   --concurrency   plans at once; default PLAN_CONCURRENCY, else the machine's cores
 *   --plugin-cache  shared provider cache; default TF_PLUGIN_CACHE_DIR, else none
 *   --all           plan every stack whatever changed
 *
 * Plans run with `-lock=false`: a plan writes nothing, and the plan role has no write access to the state
 * bucket (so it could not take the S3 lock file anyway). The bootstrap stack (local state) and stacks marked
 * `"//".appliedBy: "administrator"` are never planned.
 * GitHub-provider stacks are skipped, with a note, when GITHUB_TOKEN is empty. Exit code 0 once every stack
 * is planned or has failed (a failure is a `<stack>.error` file: the workflow posts the comment first, then
 * fails the job); 2 on bad arguments or an unreadable head synth.
 */
import { existsSync, writeFileSync } from "node:fs";
import { affectedStacks, AffectedResult } from "./affected";
import { canonical } from "./normalize";
import { defaultConcurrency, PlanJob, planStacks } from "./planner";
import { readSynth, SynthStack } from "./synth-output";

/** Stacks CI never plans by name: the bootstrap stack keeps its state on a maintainer's machine. */
export const NEVER_PLANNED = ["bootstrap"] as const;
/** The `"//".appliedBy` value that marks a stack only an administrator applies (never planned by CI either). */
export const APPLIED_BY_ADMINISTRATOR = "administrator";

/** The stacks of head and base that CI never plans: {@link NEVER_PLANNED} and administrator-applied stacks. */
export function neverPlanned(...synths: (ReadonlyMap<string, SynthStack> | undefined)[]): string[] {
  const names = new Set<string>(NEVER_PLANNED);
  for (const stacks of synths) {
    for (const stack of stacks?.values() ?? []) {
      if ((stack.json["//"] as { appliedBy?: string } | undefined)?.appliedBy === APPLIED_BY_ADMINISTRATOR) names.add(stack.name);
    }
  }
  return [...names].sort();
}

/** What the comment needs besides the plans: why each stack is (not) planned. */
export type ReviewRecord = AffectedResult;

interface Args {
  readonly head: string;
  readonly base?: string;
  readonly out: string;
  readonly review: string;
  readonly concurrency: number;
  readonly pluginCache?: string;
  readonly all: boolean;
}

/** Parses the command line; throws a one-line error naming the bad flag. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Args {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--all") flags.add(arg);
    else if (["--head", "--base", "--out", "--review", "--concurrency", "--plugin-cache"].includes(arg) && argv[i + 1] !== undefined) values.set(arg, argv[++i]);
    else throw new Error(`unknown or incomplete argument ${JSON.stringify(arg)} (allowed: --head, --base, --out, --review, --concurrency, --plugin-cache with a value; --all)`);
  }
  const concurrencyText = values.get("--concurrency") ?? env.PLAN_CONCURRENCY;
  const concurrency = concurrencyText === undefined || concurrencyText === "" ? defaultConcurrency() : Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`--concurrency (or PLAN_CONCURRENCY) must be a whole number of at least 1 (got ${JSON.stringify(concurrencyText)})`);
  }
  return {
    head: values.get("--head") ?? "cdktf.out",
    base: values.get("--base"),
    out: values.get("--out") ?? "plans",
    review: values.get("--review") ?? "review.json",
    concurrency,
    pluginCache: values.get("--plugin-cache") ?? (env.TF_PLUGIN_CACHE_DIR || undefined),
    all: flags.has("--all"),
  };
}

/** The base's stacks, or why there are none. */
export function readBase(dir: string | undefined): { stacks?: Map<string, SynthStack>; fallback?: string } {
  if (!dir) return { fallback: "no base synth was given" };
  if (!existsSync(dir)) return { fallback: `the base could not be synthesized (no ${dir})` };
  try {
    return { stacks: readSynth(dir) };
  } catch (error) {
    return { fallback: `the base synth is unreadable: ${(error as Error).message}` };
  }
}

/** The plan jobs for the stacks a review decided to plan. */
export function planJobs(head: ReadonlyMap<string, SynthStack>, review: AffectedResult, githubToken: string | undefined): PlanJob[] {
  return review.stacks
    .filter((d) => d.plan)
    .map((d) => {
      const stack = head.get(d.stack)!;
      const usesGithub = (stack.json.provider as Record<string, unknown> | undefined)?.github !== undefined;
      return {
        stack: d.stack,
        dir: stack.dir,
        providersKey: canonical(stack.json.terraform?.required_providers ?? {}),
        skip: usesGithub && !githubToken ? "Skipped: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack." : undefined,
      };
    });
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const head = readSynth(args.head);
  const base = args.all ? { fallback: "--all: every stack planned on request" } : readBase(args.base);
  const review = affectedStacks(head, base.stacks, base.fallback, { neverPlan: neverPlanned(head, base.stacks) });
  writeFileSync(args.review, JSON.stringify(review, null, 2));
  const jobs = planJobs(head, review, process.env.GITHUB_TOKEN);
  console.log(`${review.fallback ? `Planning every stack: ${review.fallback}` : `Planning ${jobs.length} of ${review.stacks.length} stacks`}, ${args.concurrency} at a time.`);
  const started = performance.now();
  const outcomes = await planStacks(jobs, { outDir: args.out, concurrency: args.concurrency, pluginCacheDir: args.pluginCache });
  for (const o of outcomes) console.log(`${o.status.padEnd(8)} ${o.stack} (init ${(o.initMs / 1000).toFixed(1)} s, plan ${(o.planMs / 1000).toFixed(1)} s)`);
  console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s; logs in ${args.out}/logs.`);
  const failed = outcomes.filter((o) => o.status === "failed").map((o) => o.stack);
  if (failed.length > 0) console.log(`Failed: ${failed.join(", ")} (see ${args.out}/<stack>.error and ${args.out}/logs).`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 2;
    },
  );
}
