/**
 * The pull request's decision of what to plan, in the job without any token: compare the head's synth with the
 * base's (affected.ts) and write, into the output folder, what the plan job needs (it has no checkout):
 *
 *   review.json      every stack's decision and why, for the comment (tools/review/plan-comment.ts)
 *   jobs.tsv         the stacks to plan, for plan-stacks.sh (working directories relative to the current folder)
 *   plan-stacks.sh   the planner itself
 *
 *   tsx tools/review/decide.ts --head cdktf.out [--base base/cdktf.out] [--out review] [--all]
 *
 * A missing or unreadable base means every stack is planned, and review.json says why. Administrator-applied
 * stacks (marked `"//".appliedBy`, and the ids `bootstrap` and `*-access`) are never planned.
 * Exit code 0, or 2 (one line on stderr) on bad arguments or an unreadable head synth.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { APPLIED_BY_ADMINISTRATOR } from "../../stacks/admin-applied";
import { affectedStacks, AffectedResult } from "./affected";
import { canonical } from "./normalize";
import { jobsFile, PLAN_STACKS_SCRIPT, PlanJob } from "./planner";
import { readSynth, SynthStack } from "./synth-output";

interface Args {
  readonly head: string;
  readonly base?: string;
  readonly out: string;
  readonly all: boolean;
}

/** Parses the command line; throws a one-line error naming the bad argument. */
export function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  let all = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--all") all = true;
    else if (["--head", "--base", "--out"].includes(arg) && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) values.set(arg, argv[++i]);
    else throw new Error(`unknown or incomplete argument ${JSON.stringify(arg)} (allowed: --head <dir>, --base <dir>, --out <dir>, --all)`);
  }
  return { head: values.get("--head") ?? "cdktf.out", base: values.get("--base"), out: values.get("--out") ?? "review", all };
}

/** The stacks of head and base that CI never plans: bootstrap, `*-access`, and every stack marked as applied by an administrator. */
export function neverPlanned(...synths: (ReadonlyMap<string, SynthStack> | undefined)[]): string[] {
  const names = new Set<string>();
  for (const stacks of synths) {
    for (const stack of stacks?.values() ?? []) {
      const marker = (stack.json["//"] as { appliedBy?: string } | undefined)?.appliedBy;
      if (marker === APPLIED_BY_ADMINISTRATOR || stack.name === "bootstrap" || stack.name.endsWith("-access")) names.add(stack.name);
    }
  }
  return [...names].sort();
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

/** The plan jobs for the stacks a review decided to plan, with working directories relative to `from`. */
export function planJobs(head: ReadonlyMap<string, SynthStack>, review: AffectedResult, from: string): PlanJob[] {
  return review.stacks
    .filter((d) => d.plan)
    .map((d) => {
      const stack = head.get(d.stack)!;
      return { stack: d.stack, dir: relative(from, stack.dir), providersKey: canonical(stack.json.terraform?.required_providers ?? {}) };
    });
}

/** Decides and writes review.json, jobs.tsv and plan-stacks.sh into `args.out`; returns the review. */
export function decide(args: Args, cwd = process.cwd()): AffectedResult {
  const head = readSynth(args.head);
  const base = args.all ? { fallback: "--all: every stack planned on request" } : readBase(args.base);
  const review = affectedStacks(head, base.stacks, base.fallback, { neverPlan: neverPlanned(head, base.stacks) });
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, "review.json"), JSON.stringify(review, null, 2));
  writeFileSync(join(args.out, "jobs.tsv"), jobsFile(planJobs(head, review, cwd)));
  copyFileSync(PLAN_STACKS_SCRIPT, join(args.out, "plan-stacks.sh"));
  return review;
}

function main(argv: readonly string[]): number {
  try {
    const review = decide(parseArgs(argv));
    const planned = review.stacks.filter((d) => d.plan);
    console.log(review.fallback ? `Every stack will be planned: ${review.fallback}.` : `${planned.length} of ${review.stacks.length} stacks will be planned.`);
    for (const d of review.stacks) console.log(`${d.plan ? "plan" : "skip"} ${d.stack}: ${d.status}${d.reasons.length > 0 ? ` (${d.reasons.join("; ")})` : ""}`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
