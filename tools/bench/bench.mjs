#!/usr/bin/env node
/**
 * `npm run bench`: wall times of synth, tests and the offline plan, side by side in one run on this machine.
 * A script, never a timed test. Each measurement that fails reports "failed: <reason>" instead of stopping the run.
 * Each step prints as it starts, with its expected duration; `--help` prints the expected total.
 *
 *   --quick          one run of everything (default: --runs 5 for the synth metrics, 1 for the long ones)
 *   --runs N         runs of the synth metrics (app synth, npm run synth, template way, cdktf synth, per Node)
 *   --long-runs N    runs of the long metrics (offline plan, jest, npm test)
 *   --only a,b       only these metric ids: app, npmsynth, template, cdktf, nodes, plan, jest, npmtest
 *   --write          also write the table to docs/benchmarks.md under "## Latest run"
 *
 * Methodology and targets: docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOC = join(ROOT, "docs", "benchmarks.md");
const HEADING = "## Latest run";

function parseArgs(argv) {
  const value = (flag, fallback) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const quick = argv.includes("--quick");
  const only = value("--only", "");
  return {
    help: argv.includes("--help") || argv.includes("-h"),
    runs: Number(value("--runs", quick ? "1" : "5")),
    longRuns: Number(value("--long-runs", "1")),
    write: argv.includes("--write"),
    only: only === "" ? undefined : new Set(only.split(",")),
  };
}

/** Runs a command; returns its wall time, or the reason it failed (its last line of output). */
function run(command, args, { env = {}, timeoutMs = 600_000, node } = {}) {
  const childEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...env };
  // Under another Node: its binary first on the PATH, so npm, npx and their children run on it too.
  if (node) childEnv.PATH = `${dirname(node)}:${childEnv.PATH}`;
  delete childEnv.TS_NODE_TRANSPILE_ONLY;
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, env: childEnv, encoding: "utf8", timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.error) return { ok: false, ms, reason: result.error.code === "ETIMEDOUT" ? `timed out after ${timeoutMs / 1000} s` : result.error.message };
  if (result.status !== 0) {
    const why = lastLine(`${result.stdout}\n${result.stderr}`);
    return { ok: false, ms, reason: `exit ${result.status} after ${(ms / 1000).toFixed(1)} s: ${why}` };
  }
  return { ok: true, ms, stdout: result.stdout };
}

/** The most telling line of a failed command: a failure summary if there is one, else its last line. */
function lastLine(text = "") {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !/^at /.test(l) && !/^npm (ERR|error)/.test(l));
  const summary = lines.find((l) => /^Tests?:.*failed|^Test Suites:.*failed|error TS\d+|^✖ \d+ problem|^Error:/.test(l));
  return (summary ?? lines[lines.length - 1] ?? "").replace(/\s+/g, " ").slice(0, 160);
}

/** Repeats a measurement; stops at the first failure. `once` returns `{ ok, ms, reason }`. */
function repeat(runs, once) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = once(i);
    if (!r.ok) return { samples, failed: r.reason };
    samples.push(r.ms);
  }
  return { samples };
}

function tempOut(prefix) {
  return mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
}

/** Synthesizes `main.ts` under a runner into a temporary outdir. */
function synthWith(command, args, extraEnv = {}, node = undefined) {
  return () => {
    const out = tempOut("synth");
    try {
      return run(command, args, { env: { CDKTF_OUTDIR: out, ...extraEnv }, timeoutMs: 300_000, node });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
}

/** The app command of cdktf.json: main.ts from the cached esbuild bundle (on `node`, default: this Node). */
const appSynthOn = (node) => synthWith(node ?? process.execPath, ["tools/app-command/run-app.mjs"], {}, node);
const appSynth = appSynthOn(undefined);

/** `npm run synth` end to end (npm's own start-up included), into a temporary output folder. */
function npmSynth() {
  const out = tempOut("npm-synth");
  try {
    return run("npm", ["run", "-s", "synth", "--", "--output", out], { timeoutMs: 300_000 });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The Node binaries CI pins in .ci/package.json (`npm ci --prefix .ci` installs them). */
const PINNED_NODES = [22, 24].map((major) => ({ major, bin: join(ROOT, ".ci", "node_modules", `node${major}`, "bin", "node") }));
const jestOn = (node) => () => run(node ?? "npx", node ? [join(ROOT, "node_modules", "jest", "bin", "jest.js"), "--silent"] : ["jest", "--silent"], { timeoutMs: 600_000, node });
/** The same app under tsx (no bundle): the other no-type-check runner, for comparison. */
const directSynth = synthWith(join(ROOT, "node_modules", ".bin", "tsx"), ["main.ts"]);
/** The app uses the GitHub provider when a stack imports it; the template way then loads that barrel too. */
const usesGithub = () => {
  const dir = join(ROOT, "stacks");
  return existsSync(dir) && readdirSync(dir).some((f) => readFileSync(join(dir, f), "utf8").includes("@cdktf/provider-github"));
};
const templateSynth = synthWith("npx", ["ts-node", "--require", "./tools/bench/preload-barrel.cjs", "main.ts"], {
  BENCH_BARREL_GITHUB: usesGithub() ? "1" : "0",
});

function cdktfSynth() {
  const out = tempOut("cdktf");
  try {
    return run("npx", ["cdktf", "synth", "--output", out], { timeoutMs: 300_000 });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The AWS stack's directory in a synth output: the stack whose JSON configures the AWS provider. */
function awsStackDir(out) {
  const stacks = join(out, "stacks");
  const name = readdirSync(stacks).find((s) => {
    const json = JSON.parse(readFileSync(join(stacks, s, "cdk.tf.json"), "utf8"));
    return json.provider?.aws !== undefined && json.provider?.github === undefined;
  });
  if (!name) throw new Error("no AWS stack in the synth output");
  return join(stacks, name);
}

/** init + validate + plan of the default AWS stack; returns total and plan-only times. */
function offlinePlan() {
  const out = tempOut("plan");
  try {
    const synth = run("node", ["tools/app-command/run-app.mjs"], { env: { CDKTF_OUTDIR: out } });
    if (!synth.ok) return { ok: false, reason: `synth ${synth.reason}` };
    const r = run("npx", ["tsx", "tools/bench/offline-plan.ts", awsStackDir(out)], { timeoutMs: 600_000 });
    if (!r.ok) return r;
    const phases = JSON.parse(r.stdout.trim().split("\n").pop());
    return { ok: true, ms: phases.init + phases.validate + phases.plan, planMs: phases.plan };
  } catch (error) {
    return { ok: false, reason: error.message };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** A table row from samples: median, min, max against an upper bound in ms. */
function row(metric, result, maxMs, targetLabel) {
  if (result.failed?.startsWith("skipped")) return [metric, "-", "-", "-", "0", targetLabel, "skipped"];
  if (result.failed !== undefined || result.samples.length === 0) {
    return [metric, "-", "-", "-", String(result.samples.length), targetLabel, `failed: ${result.failed ?? "not run"}`];
  }
  const med = median(result.samples);
  const verdict = maxMs === undefined ? "-" : med <= maxMs ? "pass" : "FAIL";
  return [metric, seconds(med), seconds(Math.min(...result.samples)), seconds(Math.max(...result.samples)), String(result.samples.length), targetLabel, verdict];
}

/** A row comparing two measurements' medians (min and max columns: the worst and best pairings). */
function ratioRow(label, over, under, target = "-", passes = undefined) {
  if ([over, under].some((r) => r.failed?.startsWith("skipped"))) return [label, "-", "-", "-", "-", target, "skipped"];
  if (over.failed !== undefined || under.failed !== undefined || !over.samples.length || !under.samples.length) {
    return [label, "-", "-", "-", "-", target, "failed: a measurement above failed"];
  }
  const ratio = median(over.samples) / median(under.samples);
  const lo = Math.min(...over.samples) / Math.max(...under.samples);
  const hi = Math.max(...over.samples) / Math.min(...under.samples);
  const verdict = passes === undefined ? "-" : passes(ratio) ? "pass" : "FAIL";
  return [label, `${ratio.toFixed(2)}x`, `${lo.toFixed(2)}x`, `${hi.toFixed(2)}x`, "-", target, verdict];
}

function table(rows) {
  const headers = ["metric", "median", "min", "max", "runs", "target", "result"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function machine(loadBefore) {
  const cpu = cpus();
  const load = (l) => l.map((x) => x.toFixed(2)).join(" / ");
  return [
    `Run ${new Date().toISOString()} on ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? "unknown"}), Node ${process.version}.`,
    `Load average (1/5/15 min) before: ${load(loadBefore)}, after: ${load(loadavg())}; other processes on the machine inflate every number.`,
  ].join("\n");
}

function writeDoc(text) {
  const doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : `# Benchmarks\n\n${HEADING}\n`;
  const start = doc.indexOf(HEADING);
  const before = start >= 0 ? doc.slice(0, start) : `${doc.trimEnd()}\n\n`;
  const rest = start >= 0 ? doc.slice(start + HEADING.length) : "";
  const next = rest.search(/\n## /);
  const after = next >= 0 ? rest.slice(next) : "\n";
  writeFileSync(DOC, `${before}${HEADING}\n\n${text}\n${after}`);
}

/**
 * Expected seconds per run of each step on this 2-core machine (from the latest runs in docs/benchmarks.md);
 * what each step prints as it starts, and what --help adds up.
 */
const EXPECTED_SECONDS = { app: 0.7, tsx: 1.6, npmsynth: 1.0, template: 11.5, cdktf: 4.5, nodeapp: 0.7, nodejest: 18, plan: 10, jest: 17, tfsuite: 110, npmtest: 150 };

/** The steps of a run: id (for --only), label, runs, expected seconds per run, and the measurement. */
function steps(opts) {
  const { runs, longRuns } = opts;
  const nodes = PINNED_NODES.filter((n) => existsSync(n.bin));
  const missing = (major) => ({ samples: [], failed: `Node ${major} not installed (npm ci --prefix .ci)` });
  return [
    { group: true, key: "app", id: "app", label: "app synth", runs, each: EXPECTED_SECONDS.app, once: appSynth },
    { group: true, key: "direct", id: "app", label: "app synth under tsx", runs, each: EXPECTED_SECONDS.tsx, once: directSynth },
    { group: true, key: "npmsynth", id: "npmsynth", label: "npm run synth", runs, each: EXPECTED_SECONDS.npmsynth, once: npmSynth },
    { group: true, key: "template", id: "template", label: "template way", runs, each: EXPECTED_SECONDS.template, once: templateSynth },
    { group: true, key: "cdktf", id: "cdktf", label: "cdktf synth", runs, each: EXPECTED_SECONDS.cdktf, once: cdktfSynth },
    ...PINNED_NODES.map(({ major, bin }) => ({
      key: `app${major}`, id: "nodes", label: `app synth on Node ${major}`, runs, each: EXPECTED_SECONDS.nodeapp,
      once: appSynthOn(bin), unavailable: nodes.some((n) => n.major === major) ? undefined : missing(major),
    })),
    ...PINNED_NODES.map(({ major, bin }) => ({
      key: `jest${major}`, id: "nodes", label: `jest on Node ${major}`, runs: longRuns, each: EXPECTED_SECONDS.nodejest,
      once: jestOn(bin), unavailable: nodes.some((n) => n.major === major) ? undefined : missing(major),
    })),
    { key: "plan", id: "plan", label: "offline plan", runs: longRuns, each: EXPECTED_SECONDS.plan, once: offlinePlan },
    { key: "jest", id: "jest", label: "jest", runs: longRuns, each: EXPECTED_SECONDS.jest, once: jestOn(undefined) },
    { key: "tfsuite", id: "jest", label: "offline terraform suite", runs: longRuns, each: EXPECTED_SECONDS.tfsuite,
      once: () => run("npx", ["jest", "-c", "jest.terraform.config.js", "--silent"], { timeoutMs: 900_000 }) },
    { key: "npmtest", id: "npmtest", label: "npm test", runs: longRuns, each: EXPECTED_SECONDS.npmtest,
      once: () => run("npm", ["test", "--silent"], { timeoutMs: 900_000 }) },
  ];
}

/** The untimed first runs: the app bundle (and the stack commands' bundle) built, caches filled. */
const warmupSeconds = (wanted) =>
  (wanted("app") || wanted("template") || wanted("npmsynth") ? EXPECTED_SECONDS.app : 0) +
  (wanted("template") ? EXPECTED_SECONDS.template : 0) +
  (wanted("npmsynth") ? EXPECTED_SECONDS.npmsynth : 0);

const minutes = (s) => (s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

/** Expected seconds of a whole run with these options: the warm-up plus every selected step. */
function expectedTotal(opts) {
  const wanted = (id) => !opts.only || opts.only.has(id);
  const warmup = warmupSeconds(wanted);
  return warmup + steps(opts).filter((s) => wanted(s.id)).reduce((sum, s) => sum + s.runs * s.each, 0);
}

function help() {
  const full = expectedTotal(parseArgs([]));
  const quick = expectedTotal(parseArgs(["--quick"]));
  const doc = readFileSync(fileURLToPath(import.meta.url), "utf8").match(/\/\*\*([\s\S]*?)\*\//)[1];
  const usage = doc.split("\n").map((l) => l.replace(/^ \* ?/, "")).join("\n").trim();
  return `${usage}\n\nA full run (defaults) takes about ${minutes(full)} on an idle 2-core machine, --quick about ${minutes(quick)}; a busy machine takes longer.\n`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(help());
    return;
  }
  const wanted = (id) => !opts.only || opts.only.has(id);
  const loadBefore = loadavg();
  const skipped = { samples: [], failed: "skipped (--only)" };
  const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
  const all = steps(opts);
  const total = expectedTotal(opts);
  log(`about ${minutes(total)} in all (expected on an idle 2-core machine)`);

  // One untimed run of each runner first: the bundle is (re)built, tsx fills its transform cache, the OS its file cache.
  if (warmupSeconds(wanted) > 0) {
    log(`warm-up (expected ${minutes(warmupSeconds(wanted))})`);
    appSynth();
    if (wanted("template")) templateSynth();
    if (wanted("npmsynth")) npmSynth();
  }
  const results = {};
  const planSamples = [];
  const measurable = all.filter((step) => {
    if (!wanted(step.id)) results[step.key] = skipped;
    else if (step.unavailable) (results[step.key] = step.unavailable), log(`${step.label}: ${step.unavailable.failed}`);
    return wanted(step.id) && !step.unavailable;
  });
  // The synth measurements run interleaved, round by round, so a change in the machine's load hits all of them alike
  // and their ratios stay comparable.
  const synths = measurable.filter((s) => s.group);
  if (synths.length > 0) {
    const rounds = Math.max(...synths.map((s) => s.runs));
    const perRound = synths.reduce((sum, s) => sum + s.each, 0);
    log(`synth comparison: ${synths.map((s) => s.label).join(", ")}; ${rounds} round(s) (expected ${minutes(rounds * perRound)})`);
    const samples = Object.fromEntries(synths.map((s) => [s.key, { samples: [] }]));
    for (let i = 0; i < rounds; i++) {
      log(`  round ${i + 1}/${rounds} (expected ${minutes(perRound)})`);
      for (const step of synths) {
        const result = samples[step.key];
        if (result.failed !== undefined) continue;
        const once = step.once();
        if (once.ok) result.samples.push(once.ms);
        else result.failed = once.reason;
      }
    }
    Object.assign(results, samples);
  }
  for (const step of measurable.filter((s) => !s.group)) {
    log(`${step.label} x${step.runs} (expected ${minutes(step.runs * step.each)})`);
    const once = step.key === "plan" ? () => {
      const r = offlinePlan();
      if (r.ok) planSamples.push(r.planMs);
      return r;
    } : step.once;
    results[step.key] = repeat(step.runs, once);
  }
  const r = results;
  const nodeVersion = (major) => {
    const bin = PINNED_NODES.find((n) => n.major === major).bin;
    return existsSync(bin) ? JSON.parse(readFileSync(join(bin, "..", "..", "package.json"), "utf8")).version : `${major}`;
  };
  const [v22, v24] = [nodeVersion(22), nodeVersion(24)];
  const rows = [
    row("app synth, default config (node tools/app-command/run-app.mjs)", r.app, 1000, "<= 1 s"),
    row("  same app under tsx (node_modules/.bin/tsx main.ts)", r.direct, undefined, "-"),
    row("npm run synth (end to end: npm, the app in-process, manifest)", r.npmsynth, undefined, "-"),
    row("cdktf synth (full CLI)", r.cdktf, undefined, "-"),
    row("template way (ts-node, type-check, provider barrel)", r.template, undefined, "-"),
    ratioRow("npm run synth / app synth", r.npmsynth, r.app, "<= 1.5x", (x) => x <= 1.5),
    ratioRow("cdktf synth / app synth", r.cdktf, r.app),
    ratioRow("template way / app synth", r.template, r.app, ">= 5x", (x) => x >= 5),
    row(`app synth on Node ${v22}`, r.app22, undefined, "-"),
    row(`app synth on Node ${v24}`, r.app24, undefined, "-"),
    ratioRow("  Node 24 / Node 22", r.app24, r.app22),
    row(`jest (unit suite) on Node ${v22}`, r.jest22, undefined, "-"),
    row(`jest (unit suite) on Node ${v24}`, r.jest24, undefined, "-"),
    ratioRow("  Node 24 / Node 22", r.jest24, r.jest22),
    row("offline terraform init + validate + plan, AWS stack", r.plan, undefined, "-"),
    row("  of which terraform plan", { samples: planSamples, failed: r.plan.failed }, undefined, "-"),
    row("jest (unit suite)", r.jest, 20_000, "<= 20 s"),
    row("jest (offline terraform suite)", r.tfsuite, undefined, "-"),
    row("npm test (typecheck, lint, jest, offline terraform suite)", r.npmtest, 120_000, "<= 120 s"),
  ];
  const text = `${machine(loadBefore)}\n\n${table(rows)}\n`;
  process.stdout.write(`${text}\n`);
  if (opts.write) {
    writeDoc(text);
    log(`wrote ${DOC}`);
  }
}

main();
