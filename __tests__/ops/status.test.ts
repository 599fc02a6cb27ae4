import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { permissionsFor } from "../../ops/permissions";
import { deploymentGoesThrough, deploymentInfo } from "./deployment-fixtures";
import { actionsCalled, deploymentsOf, groupInfo, Mocks, mockAws, pipelineState, runOps, synthesized } from "./harness";
import { albDnsName, DIGEST, LIVE, liveEnvironments, service } from "./live-fixtures";

const project = synthesized("default.yaml");
let mocks: Mocks;
const called = new Set<string>();

beforeEach(() => {
  mocks = mockAws();
  liveEnvironments(mocks);
  groupInfo(mocks, "staging", deploymentInfo("d-STAGING01", "bluegreen-demo-staging", { status: "Succeeded" }));
  groupInfo(mocks, "prod", deploymentInfo("d-PROD0001", "bluegreen-demo-prod", { status: "Succeeded" }));
  deploymentsOf(mocks, "bluegreen-demo-staging", []);
  deploymentsOf(mocks, "bluegreen-demo-prod", []);
  mocks.codepipeline.on(GetPipelineStateCommand, { name: "bluegreen-demo" }).resolves(pipelineState(true));
});
afterEach(() => actionsCalled(mocks).forEach((action) => called.add(action)));

const status = (args: string[] = [], tty = false) => runOps(["status", ...args], { ...project, tty });

describe("bluegreen status", () => {
  it("shows per environment the live image, task definition, listeners and the pipeline", async () => {
    const result = await status();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).toContain(`image       bluegreen-demo:3f2a1c9 (${DIGEST})`);
    expect(result.stdout).toContain("Approve-prod    InProgress  waiting: npx bluegreen approve --env prod");
    expect(result.stdout).toContain("production  :80 -> bluegreen-demo-prod-green");
    expect(result.stdout).toContain(`url         http://${albDnsName("prod")}/`);
    expect(result.stdout).toContain("test        :8443 -> bluegreen-demo-prod-blue");
  });

  it("prints the same screen on a terminal (no control characters)", async () => {
    const plain = await status();
    const tty = await status([], true);
    expect(tty.stdout).toBe(plain.stdout);
    expect(tty.stdout).not.toMatch(/\x1b/);
  });

  it("shows the deployment in flight with traffic, step and hooks", async () => {
    deploymentsOf(mocks, "bluegreen-demo-prod", ["d-INFLIGHT1"]);
    deploymentGoesThrough(mocks, "d-INFLIGHT1", "bluegreen-demo-prod", [{ status: "InProgress", step: "AllowTraffic", traffic: 20 }]);
    const result = await status(["--env", "prod"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("deployment  d-INFLIGHT1 InProgress · traffic 20% · step AllowTraffic · hooks AfterAllowTestTraffic Succeeded");
    expect(result.stdout).not.toContain("\nstaging\n");
  });

  it("writes the same facts as JSON with --json", async () => {
    const result = await status(["--json", "--env", "staging"]);
    const report = JSON.parse(result.stdout) as { environments: { name: string; taskDefinition: string; image: { tag: string; digest: string }; production: unknown }[]; stages: { stage: string; status: string }[] };
    expect(report.environments).toHaveLength(1);
    expect(report.environments[0]).toMatchObject({
      name: "staging",
      url: `http://${albDnsName("staging")}/`,
      taskDefinition: "bluegreen-demo-staging:7",
      image: { tag: "3f2a1c9", digest: DIGEST },
      production: { port: 80, targetGroups: [{ name: "bluegreen-demo-staging-green", weight: 100 }] },
    });
    expect(report.stages.map((s) => `${s.stage} ${s.status}`)).toEqual(["Source Succeeded", "Build Succeeded", "Deploy-staging Succeeded", "Approve-prod InProgress"]);
  });

  it("retries a throttled call", async () => {
    mocks.ecs
      .on(DescribeServicesCommand, { cluster: "bluegreen-demo-staging", services: ["bluegreen-demo-staging"] })
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(Object.assign(new Error("Slow down"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } }))
      .resolves({ services: [service("staging", LIVE.staging.revision)] });
    const result = await status(["--env", "staging"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("bluegreen-demo-staging:7 · 2/2 tasks running");
    expect(result.sleeps).toEqual([1000, 2000]);
  });

  it("exits 12 when the ECS service does not exist (stack not deployed)", async () => {
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/bluegreen-demo-staging", reason: "MISSING" }] });
    const result = await status();
    expect(result.code).toBe(12);
    expect(result.stderr).toBe(
      "bluegreen status: not deployed: ECS service bluegreen-demo-staging in cluster bluegreen-demo-staging does not exist; deploy the stack first (npx cdktf deploy bluegreen-demo)\n",
    );
  });

  it("exits 14 when the pipeline does not exist", async () => {
    mocks.codepipeline.on(GetPipelineStateCommand).rejects(Object.assign(new Error("Account '123456789012' does not have a pipeline with name 'bluegreen-demo'"), { name: "PipelineNotFoundException" }));
    const result = await status();
    expect(result.code).toBe(14);
    expect(result.stderr).toBe(
      "bluegreen status: pipeline not found (codepipeline:GetPipelineState): Account '123456789012' does not have a pipeline with name 'bluegreen-demo'; is the stack deployed in this account and region?\n",
    );
  });

  it("exits 15 naming the denied action and the plan role", async () => {
    mocks.ecs.on(DescribeServicesCommand).rejects(
      Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: ecs:DescribeServices"), { name: "AccessDeniedException" }),
    );
    const result = await status();
    expect(result.code).toBe(15);
    expect(result.stderr).toBe(
      'bluegreen status: access denied: ecs:DescribeServices for arn:aws:sts::123456789012:assumed-role/bluegreen-demo-github-deploy/ci; use the plan role bluegreen-demo-github-plan, or ask for ecs:DescribeServices (README, "Permissions of the bluegreen command")\n',
    );
  });

  it("calls exactly the IAM actions the permission table lists for status", () => {
    expect([...called].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor("status", "codedeploy"));
  });
});
