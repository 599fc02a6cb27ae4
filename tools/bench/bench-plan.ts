/**
 * `npm run bench:plan`: how long a pull request's review plan takes for a fleet, offline on this machine.
 * A script, never a timed test.
 *
 * It generates the 50-service example fleet (config/examples/fleet.yaml with services svc1..svcN, as
 * `npm run bench:fleet` does) as the base, and the same fleet with one service's desired count changed as the
 * head; synthesizes both with the app command; makes offline copies (offline-fleet.ts: mirrored provider, mock
 * credentials, the platform's outputs from a local state file); then measures, each on a fresh copy:
 *
 *   sequential   every AWS stack planned one after another the way pr.yml did before issue 14: per stack
 *                `init`, `plan -out`, `show -json`, `show -no-color`
 *   parallel     every AWS stack through the planner pr.yml runs (tools/review/plan-stacks.sh) at its default concurrency
 *   single       the changed service's stack alone through the planner (init, plan, show -json)
 *   affected     what the pull request now runs: read both synths, decide the affected stacks
 *                (tools/review/affected.ts), plan them through the planner
 *
 * Synthesis is reported but not counted: every way needs the head synth, and the base synth runs in a
 * separate job, in parallel with the head's tests. Plans run with `-refresh=false` against empty state (no
 * account to refresh from), so each is the plan of a first deploy; GitHub-provider stacks are left out (their
 * provider is not in the mirror), in every row alike.
 *
 *   --services N   fleet size (default 50)
 *   --runs N       runs of `single` and `affected`, median reported (default 3)
 *   --skip-sequential   leave out the sequential row (it takes the longest)
 *   --write        also replace the latest run in docs/benchmarks.md (between the plan-bench markers)
 *
 * Targets: affected <= 1.5x single, and sequential >= 20x affected.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { OFFLINE_AWS_PROVIDER_VERSION, PLUGIN_DIR, TERRAFORM_BIN, offlineTerraformUnavailable } from "../offline-terraform";
import { generateFleet } from "./bench-fleet";
import { affectedStacks } from "../review/affected";
import { canonical } from "../review/normalize";
import { neverPlanned } from "../review/decide";
import { defaultConcurrency, PlanJob, planStacks } from "../review/planner";
import { readSynth } from "../review/synth-output";
import { offlineFleet, OfflineStack } from "./offline-fleet";
import { writeDocSection } from "./doc-section";

const ROOT = resolve(__dirname, "..", "..");
const MARKERS = ["<!-- plan-bench:start (npm run bench:plan -- --write) -->", "<!-- plan-bench:end -->"] as const;
const OFFLINE = { terraformBin: TERRAFORM_BIN, initArgs: ["-backend=false", `-plugin-dir=${PLUGIN_DIR}`], planArgs: ["-refresh=false"] };

/** Synthesizes a fleet config with the app command into a fresh folder; returns it and the time taken. */
function synth(config: object, work: string, name: string): { dir: string; ms: number } {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  const dir = join(work, `${name}-out`);
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, "tools", "app-command", "run-app.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DEPLOY_CONFIG: file, CDKTF_OUTDIR: dir },
  });
  if (result.status !== 0) throw new Error(`synth of the ${name}: exit ${result.status}\n${result.stderr}`);
  return { dir, ms: performance.now() - start };
}

const jobOf = (stack: OfflineStack): PlanJob => ({ stack: stack.name, dir: stack.dir, providersKey: canonical(stack.json.terraform?.required_providers ?? {}) });

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** A fresh offline copy of the head in its own folder (no `.terraform` from an earlier measurement). */
function freshCopy(work: string, headDir: string, label: string): { stacks: Map<string, OfflineStack>; plans: string } {
  const root = mkdtempSync(join(work, `${label}-`));
  return { stacks: offlineFleet(readSynth(headDir), root), plans: join(root, "plans") };
}

/** pr.yml's loop before issue 14, one stack after another (init, plan, show -json, show -no-color). */
function sequential(stacks: readonly OfflineStack[]): void {
  const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  const tf = (dir: string, args: string[]) => execFileSync(TERRAFORM_BIN, args, { cwd: dir, env, maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  for (const stack of stacks) {
    tf(stack.dir, ["init", "-input=false", "-no-color", ...OFFLINE.initArgs]);
    tf(stack.dir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan", ...OFFLINE.planArgs]);
    tf(stack.dir, ["show", "-json", "tfplan"]);
    tf(stack.dir, ["show", "-no-color", "tfplan"]);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What one bench run measured, in milliseconds. */
interface Measured {
  readonly services: number;
  readonly runs: number;
  readonly stackCount: number;
  readonly concurrency: number;
  readonly affectedCount: number;
  readonly single: number;
  readonly affected: number;
  readonly parallel: number;
  readonly sequential?: number;
  readonly synthMs: { readonly base: number; readonly head: number };
  readonly load: { readonly before: number; readonly after: number };
}

/** `single` and `affected`, `runs` times each, alternating so that load changes touch both alike. */
async function measureAffected(work: string, baseDir: string, headDir: string, changed: string, runs: number, concurrency: number, failures: string[]) {
  const singleMs: number[] = [];
  const affectedMs: number[] = [];
  let affectedCount = 0;
  for (let run = 0; run < runs; run++) {
    const one = freshCopy(work, headDir, "single");
    singleMs.push(await timed(() => planStacks([jobOf(one.stacks.get(`shop-${changed}`)!)], { ...OFFLINE, outDir: one.plans, concurrency: 1 })));
    const copy = freshCopy(work, headDir, "affected");
    affectedMs.push(
      await timed(async () => {
        const [head, base] = [readSynth(headDir), readSynth(baseDir)];
        const review = affectedStacks(head, base, undefined, { neverPlan: neverPlanned(head, base) });
        const jobs = review.stacks.filter((d) => d.plan && copy.stacks.has(d.stack)).map((d) => jobOf(copy.stacks.get(d.stack)!));
        affectedCount = jobs.length;
        const outcomes = await planStacks(jobs, { ...OFFLINE, outDir: copy.plans, concurrency });
        failures.push(...outcomes.filter((o) => o.status !== "planned").map((o) => `${o.stack}: ${o.status}`));
      }),
    );
  }
  return { single: median(singleMs), affected: median(affectedMs), affectedCount };
}

function report(m: Measured): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const slower = (ms: number) => (m.sequential === undefined ? "-" : `${(m.sequential / ms).toFixed(1)}x`);
  const ratio = m.affected / m.single;
  const speedup = m.sequential === undefined ? undefined : m.sequential / m.affected;
  return [
    `Offline plans of a ${m.services}-service fleet (${m.stackCount} AWS stacks) on ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? "unknown"}), Terraform ${terraformVersion()}, AWS provider ${OFFLINE_AWS_PROVIDER_VERSION} from the mirror; planner concurrency ${m.concurrency}.`,
    `Load average (1 min) before ${m.load.before.toFixed(2)}, after ${m.load.after.toFixed(2)}. Synth (not counted): base ${s(m.synthMs.base)}, head ${s(m.synthMs.head)}.`,
    "",
    "| way | stacks planned | time | vs. that service's stack alone | sequential way takes |",
    "|---|---:|---:|---:|---:|",
    ...(m.sequential === undefined ? [] : [`| every stack in sequence (pr.yml before issue 14) | ${m.stackCount} | ${s(m.sequential)} | ${(m.sequential / m.single).toFixed(1)}x | 1x |`]),
    `| every stack in parallel (planner, ${m.concurrency} at a time) | ${m.stackCount} | ${s(m.parallel)} | ${(m.parallel / m.single).toFixed(1)}x | ${slower(m.parallel)} |`,
    `| affected only, one service changed (median of ${m.runs}) | ${m.affectedCount} | ${s(m.affected)} | **${ratio.toFixed(2)}x** | **${slower(m.affected)}** |`,
    `| that service's stack alone (median of ${m.runs}) | 1 | ${s(m.single)} | 1x | ${slower(m.single)} |`,
    "",
    `Targets: affected <= 1.5x the single stack (${ratio.toFixed(2)}x: ${ratio <= 1.5 ? "met" : "MISSED"}); the sequential way >= 20x the affected plan (${speedup === undefined ? "not measured" : `${speedup.toFixed(1)}x: ${speedup >= 20 ? "met" : "MISSED"}`}).`,
  ];
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    // The usage is this file's header comment.
    console.log(readFileSync(__filename, "utf8").split("*/")[0].replace(/^\/\*\*\n?|^ \* ?/gm, "").trimEnd());
    return;
  }
  const value = (flag: string, fallback: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
  const services = Number(value("--services", "50"));
  const runs = Number(value("--runs", "3"));
  const unavailable = offlineTerraformUnavailable();
  if (unavailable) throw new Error(`offline Terraform unavailable: ${unavailable}`);
  const example = (await import("../../config")).readConfigFile(join(ROOT, "config", "examples", "fleet.yaml")) as Record<string, unknown>;
  const base = generateFleet(example, services);
  const changed = `svc${Math.min(7, services)}`;
  const head = { ...base, services: (base.services as Record<string, unknown>[]).map((s) => (s.name === changed ? { ...s, service: { ...(s.service as object), desiredCount: 3 } } : s)) };
  const work = mkdtempSync(join(tmpdir(), "bench-plan-"));
  const before = loadavg()[0];
  try {
    const baseSynth = synth(base, work, "base");
    const headSynth = synth(head, work, "head");
    const concurrency = defaultConcurrency();
    const failures: string[] = [];
    const short = await measureAffected(work, baseSynth.dir, headSynth.dir, changed, runs, concurrency, failures);
    const all = freshCopy(work, headSynth.dir, "parallel");
    const parallel = await timed(async () => {
      const outcomes = await planStacks([...all.stacks.values()].map(jobOf), { ...OFFLINE, outDir: all.plans, concurrency });
      failures.push(...outcomes.filter((o) => o.status !== "planned").map((o) => `${o.stack}: ${o.status}`));
    });
    const sequentialMs = argv.includes("--skip-sequential") ? undefined : await timed(() => sequential([...freshCopy(work, headSynth.dir, "sequential").stacks.values()]));
    if (failures.length > 0) throw new Error(`plans failed: ${failures.join(", ")}`);
    const lines = report({
      services,
      runs,
      stackCount: all.stacks.size,
      concurrency,
      ...short,
      parallel,
      sequential: sequentialMs,
      synthMs: { base: baseSynth.ms, head: headSynth.ms },
      load: { before, after: loadavg()[0] },
    });
    console.log(lines.join("\n"));
    if (argv.includes("--write")) writeDocSection(MARKERS, `Run ${new Date().toISOString()}. ${lines.join("\n")}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function terraformVersion(): string {
  return (JSON.parse(execFileSync(TERRAFORM_BIN, ["version", "-json"], { encoding: "utf8" })) as { terraform_version: string }).terraform_version;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
