import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DESCRIPTOR_FILE } from "../../synthesized/descriptor";
import { synthesizeExample, testConfig } from "../helpers/synth";

/**
 * `npm run timeline` on a team's own config: the workshop comparison is information, not a verdict on the config.
 * A slow config (linear 10% every 3 minutes, slower than the workshop) must not be reported as a failure, and the
 * exit code is 0; only the explicit `--check` (the project's own goal) fails on it.
 */
const ROOT = join(__dirname, "..", "..");
let dir: string;
let stackFile: string;

function timeline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "timeline/cli.ts", "--file", stackFile, ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let plain: ReturnType<typeof timeline>;
let checked: ReturnType<typeof timeline>;

beforeAll(() => {
  const slow = testConfig({ environments: [{ name: "prod", deploymentConfig: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes", terminationWaitMinutes: 60 }] });
  dir = synthesizeExample(slow).outdir;
  stackFile = join(dir, "stacks", "demo", DESCRIPTOR_FILE);
  plain = timeline();
  checked = timeline("--check");
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run timeline on a config slower than the workshop", () => {
  it("exits 0 and states the comparison as information", () => {
    expect(plain.stderr).toBe("");
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(
      /^For comparison, the AWS workshop's manual settings: demo-prod reaches 100% of production traffic \d+ min \d+ s after the pipeline starts, the workshop 18 min 40 s \(\d\.\d{3}x, \d+% more time\)\.$/m,
    );
  });

  it("gives no pass/fail verdict and no goal", () => {
    expect(plain.stdout).not.toMatch(/\bFAIL\b|\bPASS\b|\bgoal\b/i);
  });

  it("fails only under --check, saying it is the project's goal", () => {
    expect(checked.status).toBe(1);
    expect(checked.stdout.trimEnd().split("\n").pop()).toBe(
      "--check (the project's goal: at most 0.5x the workshop's time at equal or better safety): not met",
    );
  });
});

describe("npm run timeline reads only output made from its config", () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "timeline/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });

  it("prints its usage with --help and refuses an unknown option in one line", () => {
    const help = run(["--help"], {});
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run timeline -- /);
    const unknown = run(["--fast"], {});
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe("timeline: unknown option --fast (allowed: --file, --synth, --health, --steps, --check, --help)\n");
  });

  it("models the config it was given, not the cdktf.out another config of the same project made, and says so", () => {
    const out = join(dir, "other-out");
    const a = join(dir, "a.yaml");
    const b = join(dir, "b.yaml");
    const demo = readFileSync(join(ROOT, "config", "examples", "default.yaml"), "utf8");
    writeFileSync(a, demo);
    // b: the same project, prod all at once instead of the canary.
    writeFileSync(b, demo.replace(/deploymentConfig:\n\s+type: canary\n\s+percentage: 20\n\s+intervalMinutes: 2/, "deploymentConfig: CodeDeployDefault.ECSAllAtOnce"));
    const made = spawnSync(process.execPath, [join(ROOT, "tools", "app-command", "run-app.mjs")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DEPLOY_CONFIG: a, CDKTF_OUTDIR: out } });
    expect(made.status).toBe(0);
    const fresh = run([], { DEPLOY_CONFIG: a, CDKTF_OUTDIR: out });
    expect(fresh.stdout.split("\n")[1]).toBe(`Deployment-time model from ${relative(ROOT, out)}/stacks/*/bluegreen.json (--synth after changes)`);
    const result = run([], { DEPLOY_CONFIG: b, CDKTF_OUTDIR: out });
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n").slice(0, 3)).toEqual([
      `config: ${b} (from DEPLOY_CONFIG)`,
      `${out} was synthesized from ${a}, not ${b}: modelling an in-process synth instead`,
      "Deployment-time model from in-process synth of bluegreen-demo",
    ]);
    expect(result.stdout).not.toEqual(fresh.stdout.replace(a, b));
  }, 60_000);
});
