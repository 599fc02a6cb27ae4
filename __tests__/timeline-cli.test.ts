import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DESCRIPTOR_FILE } from "../constructs/strategies/descriptor";
import { synthesizeExample, testConfig } from "./helpers/synth";

/**
 * `npm run timeline` on a team's own config: the workshop comparison is information, not a verdict on the config.
 * A slow config (linear 10% every 3 minutes, slower than the workshop) must not be reported as a failure, and the
 * exit code is 0; only the explicit `--check` (the project's own goal) fails on it.
 */
const ROOT = join(__dirname, "..");
let dir: string;
let stackFile: string;

function timeline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/timeline/cli.ts", "--file", stackFile, ...args], {
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
