import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { jobsFile, PLAN_STACKS_SCRIPT, PlanJob, planStacks } from "../../../tools/review/planner";

/**
 * A stand-in for terraform that records each call (`<start> <end> <stack> <args>`) in calls.log: `init` writes a
 * lock file naming the stack (unless one exists) and takes 50 ms, `plan` takes 400 ms and fails in a folder
 * holding a FAIL file, `show -json` prints a plan. Like terraform, it works in the folder `-chdir` names.
 */
function fakeTerraform(root: string): string {
  const bin = join(root, "terraform");
  writeFileSync(
    bin,
    `#!/bin/bash
start=$(date +%s%N)
case "$1" in -chdir=*) cd "\${1#-chdir=}"; shift ;; esac
stack=$(basename "$PWD")
case "$1" in
  init) [ -f .terraform.lock.hcl ] || echo "lock of $stack" > .terraform.lock.hcl; sleep 0.05; echo "init ok" ;;
  plan) sleep 0.2; if [ -f FAIL ]; then echo "Error: AccessDenied" >&2; exit 1; fi
        echo "aws_s3_bucket.b: Refreshing state... [id=b]"; echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  show) echo '{"resource_changes":[]}' ;;
esac
echo "$start $(date +%s%N) $stack $* cache=\${TF_PLUGIN_CACHE_DIR:-none} lock=$(cat .terraform.lock.hcl)" >> "${join(root, "calls.log")}"
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

interface Call {
  readonly start: number;
  readonly end: number;
  readonly stack: string;
  readonly args: string;
}

function setup(stacks: readonly { name: string; providers?: string; fail?: boolean; github?: boolean }[]) {
  const root = mkdtempSync(join(tmpdir(), "planner-"));
  const terraformBin = fakeTerraform(root);
  const jobs: PlanJob[] = stacks.map(({ name, providers, fail, github }) => {
    const dir = join(root, "stacks", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ provider: github ? { github: [{}] } : { aws: [{}] } }));
    if (fail) writeFileSync(join(dir, "FAIL"), "");
    return { stack: name, dir, providersKey: providers ?? "aws" };
  });
  const calls = (): Call[] =>
    readFileSync(join(root, "calls.log"), "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const [start, end, stack, ...args] = line.split(" ");
        return { start: Number(start) / 1e6, end: Number(end) / 1e6, stack, args: args.join(" ") };
      });
  return { root, terraformBin, jobs, calls, out: join(root, "plans") };
}

/** The largest number of calls matching `filter` running at the same moment (a sweep over their starts and ends). */
function maxOverlap(calls: readonly Call[], filter: (c: Call) => boolean): number {
  const events = calls.filter(filter).flatMap((c) => [[c.start, 1] as const, [c.end, -1] as const]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, delta] of events) {
    running += delta;
    most = Math.max(most, running);
  }
  return most;
}

// Real processes with sleeps, on a shared machine.
jest.setTimeout(30_000);

describe("planStacks", () => {
  test("plans stacks in parallel up to the concurrency, and never runs two inits at once", async () => {
    const { jobs, terraformBin, calls, out } = setup(["a", "b", "c", "d", "e", "f"].map((name) => ({ name })));
    const outcomes = await planStacks(jobs, { outDir: out, terraformBin, concurrency: 3 });
    expect(outcomes.map((o) => [o.stack, o.status])).toEqual(["a", "b", "c", "d", "e", "f"].map((s) => [s, "planned"]));
    expect(maxOverlap(calls(), (c) => c.args.startsWith("init"))).toBe(1);
    const plans = maxOverlap(calls(), (c) => c.args.startsWith("plan"));
    expect(plans).toBeLessThanOrEqual(3);
    expect(plans).toBeGreaterThanOrEqual(2);
  });

  test("plans without taking the state lock, and writes each stack's JSON plan and its text without refresh lines", async () => {
    const { jobs, terraformBin, calls, out } = setup([{ name: "a" }]);
    await planStacks(jobs, { outDir: out, terraformBin, concurrency: 1, initArgs: ["-backend=false"], planArgs: ["-refresh=false"] });
    expect(calls().map((c) => c.args.replace(/ cache=.*/, ""))).toEqual([
      "init -input=false -no-color -backend=false",
      "plan -input=false -no-color -lock=false -out=tfplan -refresh=false",
      "show -json tfplan",
    ]);
    // Redacted (plan-redaction.test.ts): addresses and actions only.
    expect(readFileSync(join(out, "a.json"), "utf8")).toBe('{"resource_changes":[],"resource_drift":[],"output_changes":{}}\n');
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("Plan: 1 to add, 0 to change, 0 to destroy.\n");
    expect(readFileSync(join(out, "logs", "a.log"), "utf8")).toMatch(/^\$ terraform init\ninit ok\n\$ terraform plan\n/);
  });

  test("keeps planning the other stacks when one fails, and writes the failure's output", async () => {
    const { jobs, terraformBin, out } = setup([{ name: "a" }, { name: "b", fail: true }, { name: "c" }]);
    const outcomes = await planStacks(jobs, { outDir: out, terraformBin, concurrency: 2 });
    expect(outcomes.map((o) => o.status)).toEqual(["planned", "failed", "planned"]);
    expect(readFileSync(join(out, "b.error"), "utf8")).toContain("Error: AccessDenied");
    expect(readFileSync(join(out, "b.error"), "utf8")).toContain("terraform plan failed");
    expect(existsSync(join(out, "b.json"))).toBe(false);
    expect(existsSync(join(out, "c.json"))).toBe(true);
  });

  test("initializes the first stack of each provider set first and gives its lock file to the others, with the shared cache", async () => {
    const { jobs, terraformBin, calls, out, root } = setup([
      { name: "gh", providers: "github" },
      { name: "a" },
      { name: "b" },
      { name: "gh2", providers: "github" },
    ]);
    const cache = join(root, "cache");
    await planStacks(jobs, { outDir: out, terraformBin, concurrency: 1, pluginCacheDir: cache });
    const inits = calls().filter((c) => c.args.startsWith("init"));
    expect(inits.map((c) => c.stack)).toEqual(["gh", "a", "b", "gh2"]);
    expect(inits.map((c) => c.args.replace(/^.* lock=/, ""))).toEqual(["lock of gh", "lock of a", "lock of a", "lock of gh"]);
    expect(inits.every((c) => c.args.includes(`cache=${cache}`))).toBe(true);
    expect(existsSync(cache)).toBe(true);
  });

  test("skips GitHub-provider stacks, saying which secret to set, when GITHUB_TOKEN is empty", async () => {
    const { jobs, terraformBin, out } = setup([{ name: "a" }, { name: "gh", providers: "github", github: true }]);
    const outcomes = await planStacks(jobs, { outDir: out, terraformBin, env: { ...process.env, GITHUB_TOKEN: "" } });
    expect(outcomes.map((o) => o.status)).toEqual(["planned", "skipped"]);
    expect(readFileSync(join(out, "gh.txt"), "utf8")).toBe("Skipped: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack.\n");
  });

  test("refuses a concurrency that is not a whole number of at least 1, in one line", () => {
    const { jobs, terraformBin, out } = setup([{ name: "a" }]);
    writeFileSync(join(out, "..", "jobs.tsv"), jobsFile(jobs));
    const result = spawnSync("bash", [PLAN_STACKS_SCRIPT, join(out, "..", "jobs.tsv"), out], { encoding: "utf8", env: { ...process.env, PLAN_CONCURRENCY: "0", TERRAFORM: terraformBin } });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('PLAN_CONCURRENCY must be a whole number of at least 1 (got "0")\n');
  });
});

describe("jobsFile", () => {
  test("names, per stack, the first stack with the same required providers as the one whose lock file it takes", () => {
    const job = (stack: string, providersKey: string): PlanJob => ({ stack, dir: `cdktf.out/stacks/${stack}`, providersKey });
    expect(jobsFile([job("gh", "github"), job("a", "aws"), job("b", "aws")])).toBe(
      "gh\tcdktf.out/stacks/gh\tcdktf.out/stacks/gh\na\tcdktf.out/stacks/a\tcdktf.out/stacks/a\nb\tcdktf.out/stacks/b\tcdktf.out/stacks/a\n",
    );
  });
});
