import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CDKTF_CLI_NEEDS_NODE_22 } from "../../../tools/stack-cli/cdktf-cli";
import { parseArgs } from "../../../tools/stack-cli/cli";
import { credentialRegion, missingCredentials } from "../../../tools/stack-cli/credentials";
import { readManifest, SynthesizedStack } from "../../../tools/stack-cli/manifest";
import { matchesPattern, orderStacks, selectStacks } from "../../../tools/stack-cli/order";
import { applyStacks, blockedBy, deployedUrls, isCloudStack, StackRunOptions } from "../../../tools/stack-cli/run";
import { appEnvironment } from "../../../tools/stack-cli/synth";
import { terraformEnvironment } from "../../../tools/stack-cli/terraform";

/**
 * The stack commands' rules without Terraform: which stacks run, in what order, what a dismissal blocks,
 * how arguments are read. Terraform itself runs in __tests__/terraform/stack-commands.test.ts.
 */

const stack = (name: string, dependencies: string[] = []): SynthesizedStack => ({
  name,
  dependencies,
  workingDirectory: `/out/stacks/${name}`,
  synthesizedStackPath: `/out/stacks/${name}/cdk.tf.json`,
  annotations: [],
});

// A fleet's shape: platform, then services reading it, each with an optional GitHub stack reading the service.
const ALL = [stack("bootstrap"), stack("shop-a", ["shop-platform"]), stack("shop-a-github", ["shop-a"]), stack("shop-b", ["shop-platform"]), stack("shop-platform")];
const names = (stacks: readonly SynthesizedStack[]) => stacks.map((s) => s.name);

describe("selecting stacks", () => {
  test("takes the only stack when none is named", () => {
    expect(names(selectStacks([stack("solo")], [], "deploy"))).toEqual(["solo"]);
  });

  test("fails when none is named and there are several, listing them", () => {
    expect(() => selectStacks(ALL, [], "deploy")).toThrow(
      "found 5 stacks, name the ones to deploy: npm run deploy -- <stack...> (stacks: bootstrap, shop-a, shop-a-github, shop-b, shop-platform)",
    );
  });

  test("matches globs as cdktf does, each stack once, in the order named", () => {
    expect(names(selectStacks(ALL, ["shop-platform", "shop-*"], "deploy"))).toEqual(["shop-platform", "shop-a", "shop-a-github", "shop-b"]);
    expect(matchesPattern("shop-a", "shop-?")).toBe(true);
    expect(matchesPattern("shop-ab", "shop-?")).toBe(false);
    expect(matchesPattern("shop.a", "shop-a")).toBe(false);
  });

  test("fails on a pattern that matches no stack", () => {
    expect(() => selectStacks(ALL, ["shop-c"], "plan")).toThrow('no stack matches "shop-c" (stacks: bootstrap, shop-a, shop-a-github, shop-b, shop-platform)');
  });
});

describe("ordering stacks", () => {
  test("deploys dependencies first, keeping the named order between independent stacks", () => {
    const selected = selectStacks(ALL, ["shop-a-github", "shop-b", "shop-a", "shop-platform"], "deploy");
    expect(names(orderStacks(selected, ALL, "deploy"))).toEqual(["shop-platform", "shop-b", "shop-a", "shop-a-github"]);
  });

  test("destroys in the reverse order: dependants first", () => {
    const selected = selectStacks(ALL, ["shop-*"], "destroy");
    expect(names(orderStacks(selected, ALL, "destroy"))).toEqual(["shop-b", "shop-a-github", "shop-a", "shop-platform"]);
  });

  test("refuses a deploy that leaves out a dependency", () => {
    expect(() => orderStacks([ALL[2]], ALL, "deploy")).toThrow(
      "shop-a are dependencies of the stacks to deploy but not selected: name them too, or pass --ignore-missing-stack-dependencies",
    );
  });

  test("refuses a destroy that leaves out a dependant", () => {
    expect(() => orderStacks([ALL[4]], ALL, "destroy")).toThrow(
      "shop-a, shop-b depend on the stacks to destroy but not selected: name them too, or pass --ignore-missing-stack-dependencies",
    );
  });

  test("runs a partial selection when told to ignore missing dependencies", () => {
    expect(names(orderStacks([ALL[2]], ALL, "deploy", true))).toEqual(["shop-a-github"]);
  });

  test("fails on a dependency cycle", () => {
    const cycle = [stack("x", ["y"]), stack("y", ["x"])];
    expect(() => orderStacks(cycle, cycle, "deploy")).toThrow("stacks depend on each other in a cycle: x, y");
  });
});

describe("what a dismissed stack blocks", () => {
  test("deploy: every stack that depends on it, transitively", () => {
    expect([...blockedBy("shop-platform", ALL, "deploy")].sort()).toEqual(["shop-a", "shop-a-github", "shop-b"]);
  });

  test("destroy: every stack it depends on, transitively", () => {
    expect([...blockedBy("shop-a-github", ALL, "destroy")].sort()).toEqual(["shop-a", "shop-platform"]);
  });
});

describe("applying", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "stack-run-"));
    for (const name of ["a", "b", "c"]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "x" } } } }));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const local = (name: string, dependencies: string[] = []): SynthesizedStack => ({
    ...stack(name, dependencies),
    workingDirectory: join(dir, name),
    synthesizedStackPath: join(dir, name, "cdk.tf.json"),
  });

  /** Terraform stand-in: plans always have changes (exit 2), everything else succeeds; records the calls. */
  function recorder(answers: (string | undefined)[]): { calls: string[]; options: StackRunOptions } {
    const calls: string[] = [];
    return {
      calls,
      options: {
        terraform: async (cwd, args) => (calls.push(`${cwd.slice(dir.length + 1)}: ${args.join(" ")}`), args[0] === "plan" ? 2 : 0),
        ask: async (name) => (calls.push(`ask ${name}`), answers.shift() as "approve" | "dismiss" | "stop" | undefined),
        log: () => undefined,
      },
    };
  }

  test("inits, plans to a file, asks, and applies that saved plan", async () => {
    const { calls, options } = recorder(["approve"]);
    const results = await applyStacks([local("a")], "deploy", options);
    expect(calls).toEqual(["a: init -input=false", "a: plan -input=false -detailed-exitcode -out plan", "ask a", "a: apply -input=false plan"]);
    expect(results).toEqual([{ stack: "a", outcome: "applied" }]);
  });

  test("a dismissed stack skips the stacks that depend on it; stop ends the run", async () => {
    const stacks = [local("a"), local("b", ["a"]), local("c")];
    const dismissed = recorder(["dismiss", "approve"]);
    expect(await applyStacks(stacks, "deploy", dismissed.options)).toEqual([
      { stack: "a", outcome: "dismissed" },
      { stack: "b", outcome: "skipped" },
      { stack: "c", outcome: "applied" },
    ]);
    const stopped = recorder(["stop"]);
    expect(await applyStacks(stacks, "deploy", stopped.options)).toEqual([
      { stack: "a", outcome: "dismissed" },
      { stack: "b", outcome: "skipped" },
      { stack: "c", outcome: "skipped" },
    ]);
    expect(stopped.calls.filter((c) => c.includes("apply"))).toEqual([]);
  });

  test("destroy plans with -destroy; --auto-approve and --migrate-state reach Terraform", async () => {
    const { calls, options } = recorder([]);
    await applyStacks([local("a")], "destroy", { ...options, autoApprove: true, migrateState: true });
    expect(calls).toEqual([
      "a: init -input=false -migrate-state -force-copy",
      "a: plan -input=false -detailed-exitcode -out plan -destroy",
      "a: apply -input=false plan",
    ]);
  });

  test("HCP Terraform stacks run terraform apply, which asks itself", async () => {
    writeFileSync(join(dir, "c", "cdk.tf.json"), JSON.stringify({ terraform: { cloud: { organization: "acme" } } }));
    const { calls, options } = recorder([]);
    expect(isCloudStack(local("c"))).toBe(true);
    await applyStacks([local("c")], "deploy", options);
    expect(calls).toEqual(["c: init -input=false", "c: apply"]);
  });

  test("a failed plan is a one-line error naming the stack", async () => {
    const options: StackRunOptions = { terraform: async (_cwd, args) => (args[0] === "plan" ? 1 : 0), ask: async () => "approve", log: () => undefined };
    await expect(applyStacks([local("a")], "deploy", options)).rejects.toThrow("terraform plan failed for stack a (exit 1); Terraform's message is above");
  });
});

describe("reading the synth output", () => {
  test("fails with one line when there is no manifest", () => {
    expect(() => readManifest("/nonexistent/out")).toThrow("no synthesized stacks: /nonexistent/out/manifest.json does not exist (run npm run synth first)");
  });
});

describe("arguments", () => {
  test("reads patterns, flags and --output in both forms", () => {
    const args = parseArgs(["deploy", "shop-*", "--auto-approve", "--output=out", "bootstrap"]);
    expect(args).toEqual({ command: "deploy", patterns: ["shop-*", "bootstrap"], flags: new Set(["--auto-approve"]), output: "out" });
    expect(parseArgs(["plan", "--output", "o2"]).output).toBe("o2");
  });

  test("names the allowed options when one is not", () => {
    expect(() => parseArgs(["plan", "--auto-approve"])).toThrow("unknown option --auto-approve for plan (allowed: --output, --skip-synth)");
    expect(() => parseArgs(["apply"])).toThrow('unknown command "apply" (allowed: synth, plan, deploy, destroy, cdktf)');
  });
});

describe("the app's environment", () => {
  test("is the one cdktf-cli gives it: no TF_VAR_*, outdir, context, heap", () => {
    const env = appEnvironment("out", { PATH: "/bin", TF_VAR_token: "secret", CDKTF_CONTEXT_JSON: '{"a":1}' });
    expect(env).toEqual({
      PATH: "/bin",
      NODE_OPTIONS: "--max-old-space-size=4096",
      CDKTF_OUTDIR: "out",
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      CDKTF_CONTEXT_JSON: '{"a":1,"cdktfRelativeModules":[]}',
      SYNTH_HCL_OUTPUT: "false",
    });
  });
});

test("the README says in one line what the cdktf CLI needs, in the words the npm scripts print", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
  expect(readme.split("\n").filter((line) => line.includes(CDKTF_CLI_NEEDS_NODE_22))).toHaveLength(1);
});

test("npm run synth on a bad config prints the app's report and nothing else, exits 1 and writes nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "bad-synth-"));
  try {
    writeFileSync(join(dir, "bad.yaml"), "project: X\n");
    const root = join(__dirname, "..", "..", "..");
    const result = spawnSync(process.execPath, ["tools/stack-cli/bin.mjs", "synth", "--output", join(dir, "out")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DEPLOY_CONFIG: join(dir, "bad.yaml") },
    });
    expect(result.status).toBe(1);
    // stdout holds only the app's first line, which config it read.
    expect(result.stdout).toBe(`config: ${join(dir, "bad.yaml")} (from DEPLOY_CONFIG)\n`);
    expect(result.stderr.split("\n")[0]).toBe(`Invalid config ${join(dir, "bad.yaml")}: 5 problems`);
    expect(result.stderr).not.toMatch(/error:|\n\s+at /);
    expect(existsSync(join(dir, "out"))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("before Terraform runs", () => {
  let dir: string;
  const stackWith = (name: string, json: object): SynthesizedStack => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "cdk.tf.json"), JSON.stringify(json));
    return { ...stack(name), workingDirectory: join(dir, name), synthesizedStackPath: join(dir, name, "cdk.tf.json") };
  };
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "stack-credentials-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const noCredentials = async () => {
    throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
  };

  test("says in one line that the AWS credentials are missing, naming the stacks", async () => {
    const aws = stackWith("shop", { provider: { aws: [{ region: "eu-west-1" }] } });
    const regions: string[] = [];
    const message = await missingCredentials([aws], async (region) => (regions.push(region), noCredentials()));
    expect(message).toBe(
      "no usable AWS credentials for shop (CredentialsProviderError: Could not load credentials from any providers); log in (aws sso login, AWS_PROFILE) or export credentials, then run the command again",
    );
    expect(regions).toEqual(["eu-west-1"]);
  });

  test("lets Terraform run when the credentials work, or when the check itself could not reach AWS", async () => {
    const aws = stackWith("shop", { provider: { aws: [{ region: "eu-west-1" }] } });
    expect(await missingCredentials([aws], async () => ({ Account: "123456789012" }))).toBeUndefined();
    expect(await missingCredentials([aws], async () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { name: "Error" })))).toBeUndefined();
  });

  test("does not check stacks that bring their own keys, run in HCP Terraform, or use no AWS provider", async () => {
    const stacks = [
      stackWith("keys", { provider: { aws: [{ region: "eu-west-1", access_key: "mock" }] } }),
      stackWith("cloud", { terraform: { cloud: { organization: "acme" } }, provider: { aws: [{ region: "eu-west-1" }] } }),
      stackWith("github", { provider: { github: [{ owner: "acme" }] } }),
    ];
    expect(credentialRegion(stacks)).toBeUndefined();
    expect(await missingCredentials(stacks, noCredentials)).toBeUndefined();
  });

  test("Terraform gets no colour codes in a pipe and makes no checkpoint call, unless told otherwise", () => {
    expect(terraformEnvironment({ PATH: "/bin" }, false)).toEqual({ PATH: "/bin", CHECKPOINT_DISABLE: "1", TF_CLI_ARGS: "-no-color" });
    expect(terraformEnvironment({ TF_CLI_ARGS: "-compact-warnings", CHECKPOINT_DISABLE: "" }, false)).toEqual({ TF_CLI_ARGS: "-compact-warnings -no-color", CHECKPOINT_DISABLE: "" });
    expect(terraformEnvironment({}, true)).toEqual({ CHECKPOINT_DISABLE: "1" });
  });
});

describe("the end of a deploy", () => {
  test("lists the URL outputs of the stacks it applied or left unchanged, not sensitive ones or other outputs", async () => {
    const stacks = ["aws", "skipped", "github"].map((name) => ({ ...stack(name), workingDirectory: `/out/${name}` }));
    const results = [
      { stack: "aws", outcome: "no changes" as const },
      { stack: "skipped", outcome: "dismissed" as const },
      { stack: "github", outcome: "applied" as const },
    ];
    const outputs: Record<string, Record<string, { value?: unknown; sensitive?: boolean }>> = {
      "/out/aws": { StagingUrl: { value: "http://a.example/" }, ProdUrl: { value: "https://b.example/" }, StartPipelineCommand: { value: "aws codepipeline ..." }, SecretUrl: { value: "x", sensitive: true } },
      "/out/skipped": { StagingUrl: { value: "http://never.example/" } },
      "/out/github": {},
    };
    expect(await deployedUrls(stacks, results, async (dir) => outputs[dir])).toEqual(["aws: StagingUrl http://a.example/", "aws: ProdUrl https://b.example/"]);
  });
});
