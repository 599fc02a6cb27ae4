/**
 * An ECS-native release end to end on what the pipeline would register: the synthesized stack's task definition
 * (the bootstrap revision Terraform registers), the build's render script, then the release step's script, each
 * run as CodeBuild runs them, with a stand-in AWS CLI that answers from the synthesized stack and records calls.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { synthProject, testConfig } from "../../../helpers/synth";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ASSETS = join(__dirname, "..", "..", "..", "..", "constructs", "assets");
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:0123456789ab";
const TASK_DEFINITION_ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:4";

/** The synthesized prod environment on ECS-native blue/green, with settings a release must keep. */
function synthesized(): { taskDefinition: Json; targets: Json[] } {
  const { aws } = synthProject(
    testConfig({
      service: { containerPort: 8080, cpu: 512, memory: 1024, environment: { LOG_LEVEL: "info" }, readonlyRootFilesystem: true },
      environments: [{ name: "prod", strategy: "ecs" }],
    }),
  );
  const [taskDefinition] = Object.entries(aws.resource.aws_ecs_task_definition).filter(([id]) => id.startsWith("EnvProd_Service"));
  const build = Object.entries(aws.resource.aws_codebuild_project).find(([id]) => id.startsWith("Delivery_Build_Project"))?.[1] as Json;
  const targets = JSON.parse(build.environment.environment_variable.find((v: Json) => v.name === "DEPLOY_TARGETS").value) as Json[];
  return { taskDefinition: taskDefinition[1] as Json, targets };
}

/** What DescribeTaskDefinition returns for the revision Terraform registered (the resource's arguments, as AWS names them). */
function described(td: Json): Json {
  return {
    taskDefinition: {
      taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:1",
      revision: 1,
      status: "ACTIVE",
      family: td.family,
      taskRoleArn: td.task_role_arn,
      executionRoleArn: td.execution_role_arn,
      networkMode: td.network_mode,
      containerDefinitions: JSON.parse(td.container_definitions),
      volumes: td.volume.map((v: Json) => ({ name: v.name })),
      requiresCompatibilities: td.requires_compatibilities,
      cpu: td.cpu,
      memory: td.memory,
      runtimePlatform: { operatingSystemFamily: td.runtime_platform.operating_system_family, cpuArchitecture: td.runtime_platform.cpu_architecture },
      registeredAt: "2026-12-08T00:00:00Z",
    },
  };
}

/** A stand-in AWS CLI (a node script): answers each call from `answers.json`, records the calls in `calls.jsonl`. */
function fakeCli(dir: string, answers: Json): string {
  writeFileSync(join(dir, "answers.json"), JSON.stringify(answers));
  const cli = join(dir, "aws");
  writeFileSync(
    cli,
    `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2).filter((a, i, all) => a !== "--output" && all[i - 1] !== "--output");
const call = args.slice(0, 2).join(" ");
const input = args.includes("--cli-input-json") ? JSON.parse(fs.readFileSync(args[args.indexOf("--cli-input-json") + 1].replace("file://", ""), "utf8")) : undefined;
fs.appendFileSync(${JSON.stringify(join(dir, "calls.jsonl"))}, JSON.stringify({ call, args, input }) + "\\n");
const answers = JSON.parse(fs.readFileSync(${JSON.stringify(join(dir, "answers.json"))}, "utf8"));
if (!(call in answers)) { console.error("unexpected call " + call); process.exit(2); }
process.stdout.write(JSON.stringify(answers[call]));
`,
  );
  chmodSync(cli, 0o755);
  return cli;
}

function calls(dir: string): Json[] {
  return readFileSync(join(dir, "calls.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
}

function deploymentAnswers(td: Json, finalStatus: string, statusReason?: string): Json {
  return {
    "ecs describe-task-definition": described(td),
    "ecs register-task-definition": { taskDefinition: { taskDefinitionArn: TASK_DEFINITION_ARN } },
    "ecs update-service": { service: { serviceName: "demo-prod" } },
    "ecs list-service-deployments": {
      serviceDeployments: [{ serviceDeploymentArn: "arn:aws:ecs:eu-west-1:123456789012:service-deployment/demo-prod/demo-prod/d1", targetServiceRevisionArn: "arn:rev-1", createdAt: "2026-12-08T00:00:01Z" }],
    },
    "ecs describe-service-revisions": { serviceRevisions: [{ taskDefinition: TASK_DEFINITION_ARN }] },
    "ecs describe-service-deployments": { serviceDeployments: [{ status: finalStatus, ...(statusReason ? { statusReason } : {}) }] },
  };
}

describe("an ECS-native release (build render, then the release step)", () => {
  let dir: string;
  const built = synthesized();

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "ecs-release-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function release(finalStatus: string, statusReason?: string): { code: number; output: string } {
    const cli = fakeCli(dir, deploymentAnswers(built.taskDefinition, finalStatus, statusReason));
    execFileSync(process.execPath, [join(ASSETS, "deploy-files", "render.cjs")], {
      env: { PATH: process.env.PATH, AWS_CLI: cli, DEPLOY_TARGETS: JSON.stringify(built.targets), IMAGE_URI: IMAGE, OUT_DIR: join(dir, "out") },
      stdio: "pipe",
    });
    try {
      const output = execFileSync(process.execPath, [join(ASSETS, "ecs-release", "release.cjs")], {
        env: { PATH: process.env.PATH, AWS_CLI: cli, CLUSTER: "demo-prod", SERVICE: "demo-prod", ENVIRONMENT_NAME: "prod", ARTIFACT_DIR: join(dir, "out"), POLL_SECONDS: "0" },
        stdio: "pipe",
        encoding: "utf8",
      });
      return { code: 0, output };
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      return { code: failed.status, output: failed.stderr };
    }
  }

  test("the synthesized revision Terraform registers carries the bootstrap's entry point, command and user (what must not reach a release)", () => {
    const container = JSON.parse(built.taskDefinition.container_definitions)[0];
    expect(container.entryPoint).toEqual(["sh", "-c"]);
    expect(container.user).toBe("65534:65534");
    expect(built.targets).toEqual([expect.objectContaining({ environmentName: "prod", format: "revision" })]);
  });

  test("registers the built image with no bootstrap setting, and keeps the config's port, size, environment, logs and read-only root", () => {
    expect(release("SUCCESSFUL").code).toBe(0);
    const registered = calls(dir).find((c) => c.call === "ecs register-task-definition")?.input as Json;
    const container = registered.containerDefinitions[0];
    expect(container.image).toBe(IMAGE);
    for (const bootstrap of ["entryPoint", "command", "user", "dockerLabels"]) expect(container).not.toHaveProperty(bootstrap);
    expect(container.portMappings).toEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(container.environment).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.logConfiguration.logDriver).toBe("awslogs");
    expect([registered.cpu, registered.memory]).toEqual(["512", "1024"]);
    expect(registered).not.toHaveProperty("taskDefinitionArn");
  });

  test("updates the service with exactly the revision it registered, then follows that deployment", () => {
    release("SUCCESSFUL");
    const sequence = calls(dir).map((c) => c.call);
    expect(sequence.filter((c) => c !== "ecs describe-task-definition")).toEqual([
      "ecs register-task-definition",
      "ecs update-service",
      "ecs list-service-deployments",
      "ecs describe-service-revisions",
      "ecs describe-service-deployments",
    ]);
    const update = calls(dir).find((c) => c.call === "ecs update-service") as Json;
    expect(update.args).toEqual(["ecs", "update-service", "--cluster", "demo-prod", "--service", "demo-prod", "--task-definition", TASK_DEFINITION_ARN]);
  });

  test.each([
    ["ROLLBACK_SUCCESSFUL", "the alarm bluegreen-demo-prod-green-target-5xx fired"],
    ["ROLLBACK_SUCCESSFUL", "ECS deployment circuit breaker: tasks failed to start"],
    ["STOPPED", "stopped by a user"],
  ])("fails the pipeline action when the deployment ends %s (%s)", (status, reason) => {
    const result = release(status, reason);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(`release: the deployment ended ${status}: ${reason}`);
  });

  test("fails in one line when the build rendered no revision for the environment", () => {
    const cli = fakeCli(dir, {});
    let stderr = "";
    try {
      execFileSync(process.execPath, [join(ASSETS, "ecs-release", "release.cjs")], {
        env: { PATH: process.env.PATH, AWS_CLI: cli, CLUSTER: "c", SERVICE: "s", ENVIRONMENT_NAME: "prod", ARTIFACT_DIR: dir },
        stdio: "pipe",
      });
    } catch (error) {
      stderr = (error as { stderr: Buffer }).stderr.toString();
    }
    expect(stderr.trim()).toBe(`release: ${join(dir, "revision-prod.json")} is missing: the build renders it for every ECS-native environment`);
  });
});

describe("the release project's buildspec", () => {
  test("writes the release script byte for byte (after Terraform's template unescaping), then runs it with node", () => {
    const { aws } = synthProject(testConfig({ environments: [{ name: "prod", strategy: "ecs" }] }));
    const project = Object.entries(aws.resource.aws_codebuild_project).find(([id]) => id.startsWith("EnvProd_Deployment_Release_Project"))?.[1] as Json;
    // Terraform turns `$${` into `${` and `%%{` into `%{` when it reads the string.
    const buildspec = (project.source.buildspec as string).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    const commands = parse(buildspec).phases.build.commands as string[];
    expect(commands[1]).toBe("node /tmp/release.cjs");
    const dir = mkdtempSync(join(tmpdir(), "release-buildspec-"));
    try {
      execFileSync("bash", ["-c", commands[0].replace("/tmp/release.cjs", join(dir, "release.cjs"))]);
      expect(readFileSync(join(dir, "release.cjs"), "utf8")).toBe(readFileSync(join(ASSETS, "ecs-release", "release.cjs"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
