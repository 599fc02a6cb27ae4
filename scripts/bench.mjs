#!/usr/bin/env node
/**
 * `npm run bench`: wall times of synth, tests and the offline plan, side by side in one run on this machine.
 * A script, never a timed test. Each measurement that fails reports "failed: <reason>" instead of stopping the run.
 *
 *   --quick          one run of everything (default: --runs 5 for the synth metrics, 1 for the long ones)
 *   --runs N         runs of the synth metrics (app synth, template way, cdktf synth)
 *   --long-runs N    runs of the long metrics (offline plan, jest, npm test)
 *   --only a,b       only these metric ids: app, template, cdktf, plan, jest, npmtest
 *   --write          also write the table to docs/benchmarks.md under "## Latest run"
 *
 * Methodology and targets: docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
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
    runs: Number(value("--runs", quick ? "1" : "5")),
    longRuns: Number(value("--long-runs", "1")),
    write: argv.includes("--write"),
    only: only === "" ? undefined : new Set(only.split(",")),
  };
}

/** Runs a command; returns its wall time, or the reason it failed (its last line of output). */
function run(command, args, { env = {}, timeoutMs = 600_000 } = {}) {
  const childEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...env };
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
function synthWith(command, args, extraEnv = {}) {
  return () => {
    const out = tempOut("synth");
    try {
      return run(command, args, { env: { CDKTF_OUTDIR: out, ...extraEnv }, timeoutMs: 300_000 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
}

/** The app command of cdktf.json: main.ts from the cached esbuild bundle. */
const appSynth = synthWith("node", ["scripts/run-app.mjs"]);
/** The same app under tsx (no bundle): the other no-type-check runner, for comparison. */
const directSynth = synthWith(join(ROOT, "node_modules", ".bin", "tsx"), ["main.ts"]);
/** The app uses the GitHub provider when a stack imports it; the template way then loads that barrel too. */
const usesGithub = () => {
  const dir = join(ROOT, "stacks");
  return existsSync(dir) && readdirSync(dir).some((f) => readFileSync(join(dir, f), "utf8").includes("@cdktf/provider-github"));
};
const templateSynth = synthWith("npx", ["ts-node", "--require", "./scripts/bench/preload-barrel.cjs", "main.ts"], {
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
    const synth = run("node", ["scripts/run-app.mjs"], { env: { CDKTF_OUTDIR: out } });
    if (!synth.ok) return { ok: false, reason: `synth ${synth.reason}` };
    const r = run("npx", ["tsx", "scripts/bench/offline-plan.ts", awsStackDir(out)], { timeoutMs: 600_000 });
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

function ratioRow(app, template) {
  if ([app, template].some((r) => r.failed?.startsWith("skipped"))) return ["template way / app synth", "-", "-", "-", "-", ">= 5x", "skipped"];
  if (app.failed !== undefined || template.failed !== undefined || !app.samples.length || !template.samples.length) {
    return ["template way / app synth", "-", "-", "-", "-", ">= 5x", "failed: a synth above failed"];
  }
  const ratio = median(template.samples) / median(app.samples);
  const lo = Math.min(...template.samples) / Math.max(...app.samples);
  const hi = Math.max(...template.samples) / Math.min(...app.samples);
  return ["template way / app synth", `${ratio.toFixed(1)}x`, `${lo.toFixed(1)}x`, `${hi.toFixed(1)}x`, "-", ">= 5x", ratio >= 5 ? "pass" : "FAIL"];
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

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const wanted = (id) => !opts.only || opts.only.has(id);
  const loadBefore = loadavg();
  const skipped = { samples: [], failed: "skipped (--only)" };
  const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
  const measure = (id, label, runs, once) => {
    if (!wanted(id)) return skipped;
    log(`${label} x${runs}`);
    return repeat(runs, once);
  };

  // One untimed run of each runner first: the bundle is (re)built, tsx fills its transform cache, the OS its file cache.
  if (wanted("app") || wanted("template")) {
    log("warm-up");
    appSynth();
    if (wanted("template")) templateSynth();
  }
  const app = wanted("template") && !wanted("app") ? measure("template", "app synth", opts.runs, appSynth) : measure("app", "app synth", opts.runs, appSynth);
  const direct = measure("app", "app synth without npx", opts.runs, directSynth);
  const template = measure("template", "template way", opts.runs, templateSynth);
  const cdktf = measure("cdktf", "cdktf synth", opts.runs, cdktfSynth);
  const planSamples = [];
  const plan = measure("plan", "offline plan", opts.longRuns, () => {
    const r = offlinePlan();
    if (r.ok) planSamples.push(r.planMs);
    return r;
  });
  const jest = measure("jest", "jest", opts.longRuns, () => run("npx", ["jest", "--silent"], { timeoutMs: 600_000 }));
  const terraformSuite = measure("jest", "offline terraform suite", opts.longRuns, () =>
    run("npx", ["jest", "-c", "jest.terraform.config.js", "--silent"], { timeoutMs: 600_000 }),
  );
  const npmTest = measure("npmtest", "npm test", opts.longRuns, () => run("npm", ["test", "--silent"], { timeoutMs: 900_000 }));

  const rows = [
    row("app synth, default config (node scripts/run-app.mjs)", app, 1000, "<= 1 s"),
    row("  same app under tsx (node_modules/.bin/tsx main.ts)", direct, undefined, "-"),
    row("template way (ts-node, type-check, provider barrel)", template, undefined, "-"),
    ratioRow(app, template),
    row("cdktf synth (full CLI)", cdktf, undefined, "-"),
    row("offline terraform init + validate + plan, AWS stack", plan, undefined, "-"),
    row("  of which terraform plan", { samples: planSamples, failed: plan.failed }, undefined, "-"),
    row("jest (unit suite)", jest, 20_000, "<= 20 s"),
    row("jest (offline terraform suite)", terraformSuite, undefined, "-"),
    row("npm test (typecheck, lint, jest, offline terraform suite)", npmTest, 120_000, "<= 120 s"),
  ];
  const text = `${machine(loadBefore)}\n\n${table(rows)}\n`;
  process.stdout.write(`${text}\n`);
  if (opts.write) {
    writeDoc(text);
    log(`wrote ${DOC}`);
  }
}

main();
