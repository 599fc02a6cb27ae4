/**
 * `npm run timeline`: the modeled deployment time of every environment of the synthesized AWS stack, next to the
 * AWS workshop's manual settings. Reads the stack descriptors of `cdktf.out` (`stacks/<stack>/bluegreen.json`, what
 * each deploy strategy says about itself at synth) when present, else synthesizes in-process. Options:
 *   --file <path>        model this stack descriptor (a `bluegreen.json`)
 *   --synth              synthesize in-process even when cdktf.out exists
 *   --health threshold   newly registered targets need `healthyThreshold` checks (default: the first check)
 *   --steps              print every modeled step
 *   --check              the project's own goal, for its default config: exit 1 unless the time to 100% of production
 *                        traffic is at most half the workshop's at equal or better safety
 * The comparison with the workshop is information about a config, never a verdict on it: without --check the exit
 * code is 0 whatever the ratio (the project's goal check runs in its tests and benchmark).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { chooseConfig, describeConfigChoice, loadConfig } from "../config";
import { staleReason } from "../config/synth-stamp";
import { StackDescriptor } from "../synthesized/descriptor";
import { readDescriptors } from "../synthesized/read-descriptors";
import { WORKSHOP_PIPELINE } from "./baseline";
import { Comparison, compareWithBaseline, sensitivity, TARGET_RATIO } from "./compare";
import { extractPipelines } from "./extract";
import { comparisonText, environmentTable, formatDuration, stepsTable, table } from "./format";
import { ESTIMATES, HealthMode, modelPipeline } from "./model";

interface Options {
  readonly file?: string;
  readonly synth: boolean;
  readonly health: HealthMode;
  readonly steps: boolean;
  readonly check: boolean;
}

const USAGE = `usage: npm run timeline -- [--file <bluegreen.json>] [--synth] [--health first-check|threshold] [--steps] [--check]
  Models the time from a push to 100% production traffic per environment of the synthesized stacks of
  DEPLOY_CONFIG (cdktf.out, re-synthesized in-process when it was made from another config or commit).
  --file <path>   model this stack descriptor (a bluegreen.json) instead
  --synth         synthesize in-process even when cdktf.out is current
  --health        threshold: new targets need healthyThreshold checks (default first-check)
  --steps         print every modeled step
  --check         the project's own goal: exit 1 unless at most ${TARGET_RATIO}x the workshop's time at equal or better safety`;

const FLAGS = ["--file", "--synth", "--health", "--steps", "--check"];

function parseArgs(argv: readonly string[]): Options {
  const unknown = argv.filter((arg, i) => arg.startsWith("-") && !FLAGS.includes(arg) && !["--file", "--health"].includes(argv[i - 1]));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]} (allowed: ${FLAGS.join(", ")}, --help)`);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const health = value("--health") ?? "first-check";
  if (health !== "first-check" && health !== "threshold") {
    throw new Error(`--health must be first-check or threshold (got ${health})`);
  }
  return { file: value("--file"), synth: argv.includes("--synth"), health, steps: argv.includes("--steps"), check: argv.includes("--check") };
}

/** The stack descriptors of the project and where they came from. */
async function loadStacks(options: Options): Promise<{ descriptors: StackDescriptor[]; source: string }> {
  if (options.file) return { descriptors: [JSON.parse(readFileSync(options.file, "utf8")) as StackDescriptor], source: options.file };
  const choice = chooseConfig();
  process.stdout.write(`${describeConfigChoice(choice)}\n`);
  const config = loadConfig(choice.path);
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // cdktf.out made from another config or commit models the wrong stacks: synthesize this one instead, and say why.
  const stale = !options.synth && existsSync(join(outdir, "manifest.json")) ? staleReason(outdir, choice.path) : undefined;
  if (stale) process.stdout.write(`${stale}: modelling an in-process synth instead\n`);
  if (!options.synth && !stale && existsSync(join(outdir, "manifest.json"))) {
    const descriptors = readDescriptors(outdir).filter((d) => d.project === config.project);
    if (descriptors.length > 0) return { descriptors, source: `${relative(process.cwd(), outdir) || "."}/stacks/*/bluegreen.json (--synth after changes)` };
  }
  // Loaded only here: the stacks pull in cdktf and the provider bindings, which reading a file does not need.
  const [{ App }, { buildStacks }] = await Promise.all([import("cdktf"), import("../stacks")]);
  const dir = mkdtempSync(join(tmpdir(), "timeline-"));
  try {
    const app = new App({ outdir: dir });
    buildStacks(app, config);
    app.synth();
    return { descriptors: readDescriptors(dir), source: `in-process synth of ${config.project}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  const { descriptors, source } = await loadStacks(options);
  const model = { healthMode: options.health };
  const pipelines = extractPipelines(descriptors);
  const project = pipelines.map(({ name, settings }) => ({ label: name, timeline: modelPipeline(settings, model) }));
  const workshop = { label: "AWS workshop", timeline: modelPipeline(WORKSHOP_PIPELINE, model) };

  const out: string[] = [
    `Deployment-time model from ${source}`,
    `Health: ${options.health === "first-check" ? "newly registered targets are healthy after the first passing check" : "newly registered targets need healthyThreshold passing checks"}; build: ${ESTIMATES.buildSeconds} s estimate; approvals count 0 (+ human). See docs/timeline.md.`,
    "",
    environmentTable([...project, workshop]),
    "",
  ];
  const comparisons = project.map((p) => compareWithBaseline(p.timeline, workshop.timeline));
  for (const c of comparisons) out.push(...comparisonLines(c), "");
  for (const p of pipelines) {
    out.push(`Under other readings of the model (${p.name}):`, sensitivityRows(sensitivity(p.settings, WORKSHOP_PIPELINE)), "");
  }
  if (options.steps) {
    for (const { label, timeline } of [...project, workshop]) out.push(`Steps: ${label}`, stepsTable(timeline), "");
  }
  const notes = project.flatMap((p) => p.timeline.notes);
  if (notes.length > 0) out.push("Notes:", ...notes.map((n) => `- ${n}`), "");
  process.stdout.write(out.join("\n"));
  if (options.check) {
    const met = comparisons.every((c) => c.meetsTimeGoal && c.equalOrBetterSafety);
    process.stdout.write(`\n--check (the project's goal: at most ${TARGET_RATIO}x the workshop's time at equal or better safety): ${met ? "met" : "not met"}\n`);
    if (!met) process.exitCode = 1;
  }
}

/**
 * The comparison as information: how long this config takes next to the workshop's manual settings, and the safety of
 * each. A slower config is a choice (longer canaries, approvals), not an error.
 */
function comparisonLines(c: Comparison): string[] {
  const difference = Math.round(Math.abs(1 - c.ratio) * 100);
  const relation = c.ratio < 1 ? `${difference}% less` : c.ratio > 1 ? `${difference}% more` : "the same";
  return [
    `For comparison, the AWS workshop's manual settings: ${c.project.environment.name} reaches 100% of production traffic ` +
      `${formatDuration(c.project.fullTrafficAtSeconds)} after the pipeline starts, the workshop ${formatDuration(c.baseline.fullTrafficAtSeconds)} ` +
      `(${c.ratio.toFixed(3)}x, ${relation} time).`,
    // The safety lines as format.ts writes them; its first line is the goal verdict, which this command does not give.
    ...comparisonText(c).split("\n").slice(1),
  ];
}

/** The same comparison under other readings of the model, without a verdict. */
function sensitivityRows(results: ReturnType<typeof sensitivity>): string {
  return table(
    ["reading", "this config", "workshop", "ratio"],
    results.map(({ scenario, comparison: c }) => [
      scenario.name,
      formatDuration(c.project.fullTrafficAtSeconds),
      formatDuration(c.baseline.fullTrafficAtSeconds),
      `${c.ratio.toFixed(3)}x`,
    ]),
  );
}

main().catch((error: unknown) => {
  console.error(`timeline: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
