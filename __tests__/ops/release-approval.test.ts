import { GetPipelineStateCommand, PutApprovalResultCommand, StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { permissionsFor } from "../../ops/permissions";
import { actionsCalled, CALLER, Mocks, mockAws, pipelineState, runOps, synthesized } from "./harness";

const project = synthesized("default.yaml");
let mocks: Mocks;
const called: Record<string, Set<string>> = { release: new Set(), approve: new Set(), reject: new Set() };
let current = "release";

beforeEach(() => {
  mocks = mockAws();
});
afterEach(() => actionsCalled(mocks).forEach((action) => called[current].add(action)));

const ops = (args: string[]) => {
  current = args[0];
  return runOps(args, project);
};
const denied = (action: string) =>
  Object.assign(new Error(`User: ${CALLER} is not authorized to perform: ${action} on resource: arn:aws:codepipeline:eu-west-1:123456789012:bluegreen-demo`), {
    name: "AccessDeniedException",
  });

describe("bluegreen release", () => {
  it("says what it starts, starts the synthesized pipeline, and prints the execution id", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: "4f0c7a2e-1b2c-4d5e-8f90-123456789abc" });
    const result = await ops(["release"]);
    expect(result.code).toBe(0);
    expect(mocks.codepipeline.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input)).toEqual([{ name: "bluegreen-demo" }]);
    expect(result.stdout).toBe(
      [
        "starting pipeline bluegreen-demo: build and deploy to staging, then prod",
        "started execution 4f0c7a2e-1b2c-4d5e-8f90-123456789abc; follow it with: npx bluegreen status, npx bluegreen wait --env staging",
        "",
      ].join("\n"),
    );
  });

  it("retries a throttled start once AWS lets it through", async () => {
    mocks.codepipeline
      .on(StartPipelineExecutionCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }))
      .resolves({ pipelineExecutionId: "e-2" });
    const result = await ops(["release"]);
    expect(result.code).toBe(0);
    expect(result.sleeps).toEqual([1000]);
    expect(mocks.codepipeline.commandCalls(StartPipelineExecutionCommand)).toHaveLength(2);
  });

  it("gives up after five retries with one line", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }));
    const result = await ops(["release"]);
    expect(result.code).toBe(1);
    expect(result.sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(result.stderr).toBe("bluegreen release: AWS kept throttling codepipeline:StartPipelineExecution after 5 retries; try again in a minute\n");
  });

  it("exits 14 when the pipeline does not exist", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error("Pipeline not found"), { name: "PipelineNotFoundException" }));
    const result = await ops(["release"]);
    expect(result.code).toBe(14);
    expect(result.stderr).toBe("bluegreen release: pipeline not found (codepipeline:StartPipelineExecution): Pipeline not found; is the stack deployed in this account and region?\n");
  });

  it("exits 15 naming the action and the deploy role when access is denied", async () => {
    mocks.codepipeline.on(StartPipelineExecutionCommand).rejects(denied("codepipeline:StartPipelineExecution"));
    const result = await ops(["release"]);
    expect(result.code).toBe(15);
    expect(result.stderr).toContain("access denied: codepipeline:StartPipelineExecution for " + CALLER + "; use the deploy role bluegreen-demo-github-deploy");
    expect(result.stderr.split("\n")).toHaveLength(2);
  });

  it("calls exactly the IAM actions the permission table lists for release", () => {
    expect([...called.release].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor("release", "codedeploy"));
  });
});

describe("bluegreen approve / reject", () => {
  it("approves the waiting prod approval with the token and the comment", async () => {
    mocks.codepipeline.on(GetPipelineStateCommand).resolves(pipelineState(true));
    mocks.codepipeline.on(PutApprovalResultCommand).resolves({ approvedAt: new Date() });
    const result = await ops(["approve", "--comment", "canary looked fine"]);
    expect(result.code).toBe(0);
    expect(mocks.codepipeline.commandCalls(PutApprovalResultCommand)[0].args[0].input).toEqual({
      pipelineName: "bluegreen-demo",
      stageName: "Approve-prod",
      actionName: "Approve",
      token: "0d4b3c2a-approval-token",
      result: { status: "Approved", summary: "canary looked fine" },
    });
    expect(result.stdout).toBe('approving Approve-prod of pipeline bluegreen-demo: "canary looked fine"\napproved: prod deploys next\n');
  });

  it("records who approved when no comment is given", async () => {
    mocks.codepipeline.on(GetPipelineStateCommand).resolves(pipelineState(true));
    mocks.codepipeline.on(PutApprovalResultCommand).resolves({});
    await ops(["approve", "--env", "prod"]);
    expect(mocks.codepipeline.commandCalls(PutApprovalResultCommand)[0].args[0].input.result).toEqual({ status: "Approved", summary: `approved with bluegreen by ${CALLER}` });
  });

  it("rejects with the reason", async () => {
    mocks.codepipeline.on(GetPipelineStateCommand).resolves(pipelineState(true));
    mocks.codepipeline.on(PutApprovalResultCommand).resolves({});
    const result = await ops(["reject", "--comment", "5xx in staging"]);
    expect(result.code).toBe(0);
    expect(mocks.codepipeline.commandCalls(PutApprovalResultCommand)[0].args[0].input.result).toEqual({ status: "Rejected", summary: "5xx in staging" });
    expect(result.stdout).toContain("rejected: the execution stops before prod");
  });

  it("refuses to reject without --comment, before calling AWS for it", async () => {
    const result = await ops(["reject"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bluegreen reject: reject needs --comment "why" (it is recorded with the rejection)\n');
    expect(mocks.codepipeline.calls()).toHaveLength(0);
  });

  it("exits 13 when no approval is waiting", async () => {
    mocks.codepipeline.on(GetPipelineStateCommand).resolves(pipelineState(false));
    const result = await ops(["approve"]);
    expect(result.code).toBe(13);
    expect(result.stderr).toBe("bluegreen approve: no approval is waiting in pipeline bluegreen-demo\n");
    expect(mocks.codepipeline.commandCalls(PutApprovalResultCommand)).toHaveLength(0);
  });

  it("refuses an environment without an approval stage", async () => {
    const result = await ops(["approve", "--env", "staging"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("bluegreen approve: --env staging has no approval stage (requireApproval is off for it)\n");
  });

  it("calls exactly the IAM actions the permission table lists for approve and reject", () => {
    for (const command of ["approve", "reject"] as const) {
      expect([...called[command]].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor(command, "codedeploy"));
    }
  });
});
