import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = join(__dirname, "..", "..", "..", "..", "constructs", "assets", "deploy-files", "render.cjs");
const fixture = join(__dirname, "..", "..", "..", "fixtures", "deploy-files", "describe-task-definition.json");

describe("render.cjs (the CLI the buildspec runs)", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "render-"));
    // A stand-in for the AWS CLI: records its arguments and prints the committed describe-task-definition sample.
    const fakeAws = join(dir, "aws");
    writeFileSync(fakeAws, `#!/bin/sh\necho "$@" >> "${join(dir, "calls.txt")}"\ncat "${fixture}"\n`);
    chmodSync(fakeAws, 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(targets: unknown[]): void {
    execFileSync(process.execPath, [script], {
      env: {
        PATH: process.env.PATH,
        AWS_CLI: join(dir, "aws"),
        DEPLOY_TARGETS: JSON.stringify(targets),
        IMAGE_URI: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:0123456789ab",
        OUT_DIR: join(dir, "out"),
      },
      stdio: "pipe",
    });
  }

  const staging = { environmentName: "staging", taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-staging:2", containerName: "web", containerPort: 8080 };
  const prod = {
    environmentName: "prod",
    taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:3",
    containerName: "web",
    containerPort: 8080,
    hooks: [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_demo-prod" }],
  };

  test("writes imageDetail.json and a taskdef/appspec pair per environment", () => {
    run([staging, prod]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      "appspec-prod.yaml",
      "appspec-staging.yaml",
      "imageDetail.json",
      "taskdef-prod.json",
      "taskdef-staging.json",
    ]);
    expect(JSON.parse(readFileSync(join(dir, "out", "imageDetail.json"), "utf8"))).toEqual({
      ImageURI: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:0123456789ab",
    });
  });

  test("describes exactly the task definition revision Terraform registered", () => {
    run([staging, prod]);
    expect(readFileSync(join(dir, "calls.txt"), "utf8").trim().split("\n")).toEqual([
      `ecs describe-task-definition --task-definition ${staging.taskDefinition} --output json`,
      `ecs describe-task-definition --task-definition ${prod.taskDefinition} --output json`,
    ]);
  });

  test("renders the placeholder image and the hook of each environment", () => {
    run([prod]);
    const taskdef = JSON.parse(readFileSync(join(dir, "out", "taskdef-prod.json"), "utf8"));
    expect(taskdef.containerDefinitions[0].image).toBe("<IMAGE1_NAME>");
    expect(readFileSync(join(dir, "out", "appspec-prod.yaml"), "utf8")).toContain(
      '  - AfterAllowTestTraffic: "CodeDeployHook_demo-prod"',
    );
  });

  test("writes revision-<env>.json, the complete task definition with the image, and no taskdef or appspec, for an ECS-native environment", () => {
    run([staging, { ...prod, hooks: [], format: "revision" }]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["appspec-staging.yaml", "imageDetail.json", "revision-prod.json", "taskdef-staging.json"]);
    const revision = JSON.parse(readFileSync(join(dir, "out", "revision-prod.json"), "utf8"));
    expect(revision.containerDefinitions.find((c: { name: string }) => c.name === "web").image).toBe(
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:0123456789ab",
    );
    // Rendered from exactly the revision Terraform registered for prod.
    expect(readFileSync(join(dir, "calls.txt"), "utf8").trim().split("\n")).toEqual([
      `ecs describe-task-definition --task-definition ${staging.taskDefinition} --output json`,
      `ecs describe-task-definition --task-definition ${prod.taskDefinition} --output json`,
    ]);
  });

  test("exits non-zero with a one-line reason on bad input", () => {
    expect(() => run([])).toThrow(/render: DEPLOY_TARGETS must be a non-empty JSON array/);
  });
});
