/**
 * `npm run bench:fleet`: how synth scales with the number of services in fleet mode. A script, never a timed test.
 *
 * For each size N (default 1, 10, 25, 50) it generates a fleet of N services from config/examples/fleet.yaml
 * (its platform, environments and defaults; services svc1..svcN, each with its own repository) and runs
 * `synthesizeApp` (buildStacks + app.synth() + the copy into the output folder, exactly what the app command
 * does) into a temp folder, in a fresh child process per run, so each size's peak memory (max RSS of the
 * child, module loading included) is its own. It prints a table and the least-squares slope (ms per service).
 * Beside it, the app command end to end (`node tools/app-command/run-app.mjs` with the generated fleet as DEPLOY_CONFIG),
 * which adds process start-up, module loading and config validation: what `cdktf synth` waits for.
 *
 *   --sizes 1,10,25,50   fleet sizes
 *   --example FILE       the example under config/examples/ the fleets are generated from; default fleet.yaml
 *                        (fleet-ecs-shared-alb.yaml: services share each environment's ALB, one host per service)
 *   --runs N             child processes per size (median time, max RSS); default 3
 *   --json               print the results as JSON too
 *   --write              also replace the latest fleet run in docs/benchmarks.md (between the fleet-bench markers)
 *
 * Targets: 50 services in at most 5 s and at most 1.5 GiB peak memory, growing linearly.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeDocSection } from "./doc-section";

const ROOT = resolve(__dirname, "..", "..");
/** The children inherit the parent's choice through the environment (`--example` sets it). */
const EXAMPLE_ENV = "BENCH_FLEET_EXAMPLE";
const example = () => join(ROOT, "config", "examples", process.env[EXAMPLE_ENV] ?? "fleet.yaml");
const MARKERS = ["<!-- fleet-bench:start (npm run bench:fleet -- --write) -->", "<!-- fleet-bench:end -->"] as const;

/** One child's measurement. */
interface Sample {
  readonly services: number;
  readonly stacks: number;
  readonly resources: number;
  readonly validateMs: number;
  readonly synthMs: number;
  /** CPU time (user + system) of the synth: less sensitive than wall time to other processes on the machine. */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
}

/** In the child: generate, validate, synthesize, report one Sample as JSON on stdout. */
async function child(services: number): Promise<void> {
  const { readConfigFile, validateConfig } = await import("../../config");
  const { synthesizeApp } = await import("../../stacks/synthesize");
  const input = generateFleet(readConfigFile(example()) as Record<string, unknown>, services);
  const outdir = mkdtempSync(join(tmpdir(), "bench-fleet-"));
  try {
    const validateStart = performance.now();
    const config = validateConfig(input, `generated fleet of ${services}`);
    const synthStart = performance.now();
    const cpuStart = process.cpuUsage();
    const stacks = synthesizeApp(config, outdir);
    const synthMs = performance.now() - synthStart;
    const cpu = process.cpuUsage(cpuStart);
    const resources = stacks.all().reduce((sum, stack) => sum + countResources(stack.toTerraform() as { resource?: Record<string, object> }), 0);
    const sample: Sample = {
      services,
      stacks: stacks.all().length,
      resources,
      validateMs: synthStart - validateStart,
      synthMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The example's platform, environments and defaults with `services` services; every third one overrides its size
 * and port. Where the example routes its services (a shared ALB), each generated service gets its own host.
 */
export function generateFleet(base: Record<string, unknown>, services: number): Record<string, unknown> {
  const routed = ((base.services ?? []) as { routing?: unknown }[]).some((entry) => entry.routing !== undefined);
  return {
    ...base,
    services: Array.from({ length: services }, (_, i) => ({
      name: `svc${i + 1}`,
      repository: `svc-${i + 1}`,
      ...(i % 3 === 2 ? { service: { cpu: 512, memory: 1024, containerPort: 9000 + i } } : {}),
      ...(routed ? { routing: { hosts: [`svc${i + 1}.example.com`] } } : {}),
    })),
  };
}

/**
 * The app command end to end, as `cdktf synth` runs it (`node tools/app-command/run-app.mjs`: process start, loading the
 * bundle, reading and validating the config, synth, writing cdktf.out), with the generated fleet as DEPLOY_CONFIG.
 */
async function measureAppCommand(services: number): Promise<number> {
  const { readConfigFile } = await import("../../config");
  const dir = mkdtempSync(join(tmpdir(), "bench-fleet-app-"));
  try {
    const configFile = join(dir, "fleet.json"); // JSON is YAML: the loader reads either
    writeFileSync(configFile, JSON.stringify(generateFleet(readConfigFile(example()) as Record<string, unknown>, services)));
    const start = performance.now();
    const result = spawnSync(process.execPath, [join(ROOT, "tools", "app-command", "run-app.mjs")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DEPLOY_CONFIG: configFile, CDKTF_OUTDIR: join(dir, "out") },
    });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`app command, fleet of ${services}: exit ${result.status}\n${result.stderr}`);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countResources(json: { resource?: Record<string, object> }): number {
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

function measure(services: number): Sample {
  const result = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", String(services)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`fleet of ${services}: exit ${result.status}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() as string) as Sample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least squares y = a + b x; returns b (ms per service), a, and r squared. */
export function leastSquares(points: readonly (readonly [number, number])[]): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const syy = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

async function parent(argv: readonly string[]): Promise<void> {
  const value = (flag: string, fallback: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
  const sizes = value("--sizes", "1,10,25,50").split(",").map(Number);
  process.env[EXAMPLE_ENV] = value("--example", "fleet.yaml");
  const runs = Number(value("--runs", "3"));
  const before = loadavg();
  const rows = [];
  for (const services of sizes) {
    const samples = Array.from({ length: runs }, () => measure(services));
    const appMs: number[] = [];
    for (let run = 0; run < runs; run++) appMs.push(await measureAppCommand(services));
    rows.push({
      appMs: median(appMs),
      ...samples[0],
      synthMs: median(samples.map((s) => s.synthMs)),
      validateMs: median(samples.map((s) => s.validateMs)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      maxRssMiB: Math.max(...samples.map((s) => s.maxRssMiB)),
      minMs: Math.min(...samples.map((s) => s.synthMs)),
      maxMs: Math.max(...samples.map((s) => s.synthMs)),
    });
  }
  const fit = leastSquares(rows.map((r) => [r.services, r.synthMs] as const));
  const cpuFit = leastSquares(rows.map((r) => [r.services, r.cpuMs] as const));
  const after = loadavg();
  const lines = [
    `Fleet synth (from config/examples/${process.env[EXAMPLE_ENV]}) on ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? "unknown"}), Node ${process.version}, ${runs} run(s) per size.`,
    `Load average (1 min) before ${before[0].toFixed(2)}, after ${after[0].toFixed(2)}.`,
    "",
    "| services | stacks | resources | validate (ms) | synth median (ms) | min | max | synth CPU (ms) | ms per service | peak RSS (MiB) | app command (ms) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.services} | ${r.stacks} | ${r.resources} | ${r.validateMs.toFixed(0)} | ${r.synthMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${(r.synthMs / r.services).toFixed(0)} | ${r.maxRssMiB.toFixed(0)} | ${r.appMs.toFixed(0)} |`,
    ),
    "",
    `Least-squares fit of the synth medians: ${fit.slope.toFixed(1)} ms per service + ${fit.intercept.toFixed(0)} ms fixed (r² = ${fit.r2.toFixed(4)}).`,
    `Same fit of the CPU times: ${cpuFit.slope.toFixed(1)} ms per service + ${cpuFit.intercept.toFixed(0)} ms fixed (r² = ${cpuFit.r2.toFixed(4)}).`,
  ];
  const largest = rows[rows.length - 1];
  lines.push(
    `Largest fleet (${largest.services}): ${(largest.synthMs / 1000).toFixed(2)} s (target <= 5 s), peak ${(largest.maxRssMiB / 1024).toFixed(2)} GiB (target <= 1.5 GiB).`,
  );
  console.log(lines.join("\n"));
  if (argv.includes("--write")) writeDocSection(MARKERS, `Run ${new Date().toISOString()}. ${lines.join("\n")}`);
  if (argv.includes("--json")) console.log(JSON.stringify({ rows, fit, cpuFit }));
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    // The usage is this file's header comment.
    console.log(readFileSync(__filename, "utf8").split("*/")[0].replace(/^\/\*\*\n?|^ \* ?/gm, "").trimEnd());
  } else if (argv[0] === "--child") {
    child(Number(argv[1])).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  } else {
    parent(argv).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
}
