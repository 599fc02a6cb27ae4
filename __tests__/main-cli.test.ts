import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT_CONFIG_NAMES } from "../config";
import { EMBEDDED_DEMO_REFUSAL } from "../stacks/embedded-demo-guard";
import { Run, run } from "./helpers/node-runtimes";

/**
 * The app as `cdktf synth` runs it (cdktf.json's `node tools/app-command/run-app.mjs`: main.ts from a cached esbuild
 * bundle), in child processes: what a user sees on a bad config (exit code, stderr, no stack trace) and that
 * an earlier cdktf.out survives. The runs happen in beforeAll: the first alone, so that it alone rebuilds a
 * stale bundle, then the other two together.
 */

const ROOT = join(__dirname, "..");

/** The app command as cdktf.json runs it, with extra environment. */
function runApp(env: Record<string, string>): Promise<Run> {
  return run(process.execPath, ["tools/app-command/run-app.mjs"], { env });
}

/** Every file under `dir` with its bytes, for a byte-for-byte comparison. */
function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString("base64");
    }
  };
  walk(dir);
  return files;
}

/** A cdktf.out from an earlier, successful synth (stand-in content). */
function earlierOutput(parent: string, name: string): string {
  const outdir = join(parent, name, "cdktf.out");
  mkdirSync(join(outdir, "stacks", "bluegreen-demo"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), '{"version":"earlier"}\n');
  writeFileSync(join(outdir, "stacks", "bluegreen-demo", "cdk.tf.json"), '{"resource":{"sentinel":{}}}\n');
  return outdir;
}

let work: string;
let badConfig: { run: Run; outdir: string; path: string; before: Record<string, string> };
let badFile: { run: Run; outdir: string; path: string; before: Record<string, string> };
let success: { run: Run; outdir: string };
let soloRun: { run: Run; path: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "main-cli-"));
  const invalid = join(work, "invalid.yaml");
  writeFileSync(
    invalid,
    [
      "project: demo",
      "region: eu-west-9",
      "github: { owner: -acme, repository: web, deployEnvironment: { soloEvaluation: true } }",
      "service: { cpu: 256, memory: 4096, containerPrt: 80 }",
      "environments: [{ name: prod }, { name: prod }]",
      "state: { backend: s3, bucket: acme-demo-tfstate }",
      "",
    ].join("\n"),
  );
  const directory = join(work, "a-directory.yaml");
  mkdirSync(directory);
  const badOut = earlierOutput(work, "bad-config");
  const fileOut = earlierOutput(work, "bad-file");
  const goodOut = join(work, "good", "cdktf.out");
  mkdirSync(join(work, "good"));
  const before = snapshotTree(badOut);
  const beforeFile = snapshotTree(fileOut);
  const runFile = await runApp({ DEPLOY_CONFIG: directory, CDKTF_OUTDIR: fileOut });
  const solo = join(work, "solo.yaml");
  writeFileSync(
    solo,
    [
      "project: solo",
      "region: eu-west-1",
      "github: { owner: me, repository: web, infrastructureRepository: me/infra, requiredApprovals: 0, deployEnvironment: { soloEvaluation: true } }",
      "environments: [{ name: prod }]",
      "state: { backend: s3, bucket: me-solo-tfstate }",
      "",
    ].join("\n"),
  );
  mkdirSync(join(work, "solo"));
  const [runBad, runGood, runSolo] = await Promise.all([
    runApp({ DEPLOY_CONFIG: invalid, CDKTF_OUTDIR: badOut }),
    runApp({ DEPLOY_CONFIG: "", CDKTF_OUTDIR: goodOut }),
    runApp({ DEPLOY_CONFIG: solo, CDKTF_OUTDIR: join(work, "solo", "cdktf.out") }),
  ]);
  soloRun = { run: runSolo, path: solo };
  badConfig = { run: runBad, outdir: badOut, path: invalid, before };
  badFile = { run: runFile, outdir: fileOut, path: directory, before: beforeFile };
  success = { run: runGood, outdir: goodOut };
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("main.ts with an invalid config", () => {
  it("exits non-zero", () => {
    expect(badConfig.run.code).toBe(1);
  });

  it("prints every problem on stderr, one line each", () => {
    const lines = badConfig.run.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^Invalid config .*invalid\.yaml: 5 problems$/);
    expect(lines.slice(1).map((line) => line.trim().split(": ")[0])).toEqual([
      "region",
      "github.owner",
      "service",
      "service.memory",
      "environments[1].name",
    ]);
    expect(badConfig.run.stderr).toContain('did you mean "containerPort"?');
  });

  it("prints no stack trace, and on stdout only which config it read", () => {
    expect(badConfig.run.stderr).not.toMatch(/^\s+at /m);
    expect(badConfig.run.stdout).toBe(`config: ${badConfig.path} (from DEPLOY_CONFIG)\n`);
  });

  it("leaves the earlier cdktf.out byte-identical and no staging folder behind", () => {
    expect(snapshotTree(badConfig.outdir)).toEqual(badConfig.before);
    expect(readdirSync(join(badConfig.outdir, ".."))).toEqual(["cdktf.out"]);
  });
});

describe("main.ts with a malformed config file", () => {
  it("exits non-zero with one line naming the path and no stack trace", () => {
    expect(badFile.run.code).toBe(1);
    expect(badFile.run.stderr).toBe(`Invalid config ${badFile.path}: is a directory, not a YAML or JSON file\n`);
    expect(snapshotTree(badFile.outdir)).toEqual(badFile.before);
  });
});

describe("main.ts with a config that weakens a safeguard", () => {
  it("synthesizes, printing the warning right after the config line", () => {
    expect(soloRun.run.code).toBe(0);
    expect(soloRun.run.stdout.split("\n").slice(0, 3)).toEqual([
      `config: ${soloRun.path} (from DEPLOY_CONFIG)`,
      "warning: github.requiredApprovals is 0: pull requests to main merge without any review, so whoever can open a pull " +
        "request deploys; fine for a solo evaluation, set 1 or more for a team",
      "synthesized bootstrap, solo-access, solo, solo-github",
    ]);
  });
});

/** A team's own config at the repository root replaces the embedded demo, so the demo's checks cannot run then. */
const rootConfig = ROOT_CONFIG_NAMES.find((name) => existsSync(join(ROOT, name)));
if (rootConfig) console.log(`skipped the embedded-demo checks of main.ts: ${rootConfig} at the repository root is used instead`);
const describeDemo = rootConfig ? describe.skip : describe;

describeDemo("main.ts without a config of the team's own (the embedded demo)", () => {
  it("exits zero, says first that it used the embedded demo and how to deploy it, then the stacks it wrote", () => {
    expect(success.run.stderr).toBe("");
    expect(success.run.code).toBe(0);
    const lines = success.run.stdout.split("\n");
    expect(lines[0]).toBe(
      "config: config/examples/default.yaml (the embedded demo, used because DEPLOY_CONFIG is unset and there is no " +
        "deploy-config.yaml at the repository root; deploying it needs TF_VAR_deploy_embedded_demo=true)",
    );
    expect(lines[1]).toBe("synthesized bootstrap, bluegreen-demo-access, bluegreen-demo, bluegreen-demo-github");
  });

  it("writes the manifest and the project stack into CDKTF_OUTDIR", () => {
    expect(existsSync(join(success.outdir, "manifest.json"))).toBe(true);
    const stack = stackJson("bluegreen-demo") as { resource: Record<string, unknown> };
    expect(Object.keys(stack.resource)).toEqual(expect.arrayContaining(["aws_ecs_service", "aws_codedeploy_deployment_group"]));
    expect(readdirSync(join(success.outdir, ".."))).toEqual(["cdktf.out"]);
  });

  it.each(["bootstrap", "bluegreen-demo-access", "bluegreen-demo", "bluegreen-demo-github"])("makes stack %s refuse plan and apply without the opt-in", (id) => {
    const variable = (stackJson(id) as { variable: Record<string, unknown> }).variable.deploy_embedded_demo;
    expect(variable).toEqual({
      type: "bool",
      default: false,
      description: "Set to true to deploy the embedded demo config on purpose.",
      validation: [{ condition: "${var.deploy_embedded_demo}", error_message: EMBEDDED_DEMO_REFUSAL }],
    });
  });
});

function stackJson(id: string): unknown {
  return JSON.parse(readFileSync(join(success.outdir, "stacks", id, "cdk.tf.json"), "utf8"));
}
