import { createHash } from "node:crypto";
import { CreateDeploymentCommand, GetApplicationRevisionCommand, GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { renderAppSpecYaml } from "../../constructs/delivery/build/deploy-artifacts";
import { IMPLIED_PERMISSIONS, permissionsFor } from "../../ops/permissions";
import { alarms, deploymentGoesThrough, deploymentInfo, SUCCESS_PATH } from "./deployment-fixtures";
import { actionsCalled, CALLER, deploymentsOf, Mocks, mockAws, runOps, synthesized, taskDefinitionArn } from "./harness";
import { liveEnvironments } from "./live-fixtures";

const project = synthesized("default.yaml");
const PROD = "bluegreen-demo-prod";
let mocks: Mocks;
const called: Record<string, Set<string>> = { stop: new Set(), rollback: new Set() };
let current = "stop";

beforeEach(() => {
  mocks = mockAws();
  liveEnvironments(mocks);
  alarms(mocks, "prod");
  deploymentsOf(mocks, "bluegreen-demo-staging", []);
  deploymentsOf(mocks, PROD, []);
});
afterEach(() => actionsCalled(mocks).forEach((action) => called[current].add(action)));

const ops = (args: string[], options: { tty?: boolean; answers?: boolean[] } = {}) => {
  current = args[0];
  return runOps(args, { ...project, ...options });
};

describe("bluegreen stop", () => {
  beforeEach(() => {
    deploymentsOf(mocks, PROD, ["d-INFLIGHT1"]);
    mocks.codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping the deployment and rolling back" });
  });

  it("says what it will do, asks on a terminal, then stops and rolls back", async () => {
    const result = await ops(["stop"], { tty: true, answers: [true] });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("will stop deployment d-INFLIGHT1 in prod (bluegreen-demo-prod) and roll back (production traffic returns to the original task set)\n");
    expect(result.questions).toEqual(["Go ahead? [y/N] "]);
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({ deploymentId: "d-INFLIGHT1", autoRollbackEnabled: true });
    expect(result.stdout).toBe("stop requested: Pending (Stopping the deployment and rolling back); npx bluegreen wait --env prod --deployment d-INFLIGHT1 follows it\n");
  });

  it("changes nothing when the answer is no (exit 7)", async () => {
    const result = await ops(["stop"], { tty: true, answers: [false] });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain("bluegreen stop: not confirmed: nothing was changed\n");
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it("needs --yes without a terminal (exit 7)", async () => {
    const result = await ops(["stop"]);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain("bluegreen stop: not confirmed: no terminal to ask on; pass --yes to go ahead\n");
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it("stops without rollback with --no-rollback --yes, asking nothing", async () => {
    const result = await ops(["stop", "--env", "prod", "--no-rollback", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.questions).toEqual([]);
    expect(result.stderr).toContain("without rollback (traffic stays where it is now)");
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({ deploymentId: "d-INFLIGHT1", autoRollbackEnabled: false });
  });

  it("exits 13 when nothing is in flight", async () => {
    deploymentsOf(mocks, PROD, []);
    const result = await ops(["stop", "--yes"]);
    expect(result.code).toBe(13);
    expect(mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it("calls exactly the IAM actions the permission table lists for stop", () => {
    expect([...called.stop].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor("stop", "codedeploy"));
  });
});

describe("bluegreen rollback", () => {
  const LIVE_TD = taskDefinitionArn("prod", 5);
  const PREVIOUS_TD = taskDefinitionArn("prod", 4);
  const hooks = [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_bluegreen-demo-prod" }];
  /** What the pipeline's CodeDeployToECS action deployed: its appspec template with the registered revision filled in. */
  const pipelineAppSpec = (td: string) => renderAppSpecYaml({ containerName: "app", containerPort: 8080, hooks }).replace('"<TASK_DEFINITION>"', JSON.stringify(td));

  beforeEach(() => {
    deploymentsOf(mocks, PROD, ["d-LIVE00005", "d-PREV00004"], "succeeded");
    for (const [id, td, minutesAgo] of [["d-LIVE00005", LIVE_TD, 60], ["d-PREV00004", PREVIOUS_TD, 600]] as const) {
      // As CodeDeploy answers: GetDeployment names the revision by hash only; GetApplicationRevision has the content.
      const sha256 = createHash("sha256").update(pipelineAppSpec(td)).digest("hex");
      mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: id }).resolves({
        deploymentInfo: { ...deploymentInfo(id, PROD, { status: "Succeeded" }, minutesAgo), revision: { revisionType: "AppSpecContent", appSpecContent: { sha256 } } },
      });
      mocks.codedeploy
        .on(GetApplicationRevisionCommand, { applicationName: "bluegreen-demo", revision: { revisionType: "AppSpecContent", appSpecContent: { sha256 } } })
        .resolves({ applicationName: "bluegreen-demo", revision: { revisionType: "AppSpecContent", appSpecContent: { content: pipelineAppSpec(td), sha256 } } });
    }
    mocks.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-ROLLBACK1" });
    deploymentGoesThrough(mocks, "d-ROLLBACK1", PROD, SUCCESS_PATH);
  });

  it("redeploys the previous successful revision with the pipeline's appspec, then waits for it", async () => {
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(0);
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input).toEqual({
      applicationName: "bluegreen-demo",
      deploymentGroupName: PROD,
      revision: { revisionType: "AppSpecContent", appSpecContent: { content: pipelineAppSpec(PREVIOUS_TD) } },
      description: `bluegreen rollback to bluegreen-demo-prod:4 by ${CALLER}`,
    });
    expect(result.stderr).toBe(
      "will deploy bluegreen-demo-prod:4 (from d-PREV00004) to prod through CodeDeploy group bluegreen-demo-prod, replacing bluegreen-demo-prod:5; traffic shifts as the group's deployment config says\n",
    );
    expect(result.stdout).toContain("created rollback deployment d-ROLLBACK1\nfollowing prod d-ROLLBACK1");
    expect(result.stdout).toContain("prod d-ROLLBACK1: Succeeded after 50s");
  });

  it("reads every page of the group's successful deployments", async () => {
    mocks.codedeploy
      .on(ListDeploymentsCommand, { deploymentGroupName: PROD, includeOnlyStatuses: ["Succeeded"] })
      .resolvesOnce({ deployments: ["d-LIVE00005"], nextToken: "page-2" })
      .resolvesOnce({ deployments: ["d-PREV00004"] });
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(0);
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input.revision?.appSpecContent?.content).toContain(PREVIOUS_TD);
  });

  it("asks on a terminal and changes nothing when declined", async () => {
    const result = await ops(["rollback", "--env", "prod"], { tty: true, answers: [false] });
    expect(result.code).toBe(7);
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("exits 3 when the rollback deployment itself fails", async () => {
    deploymentGoesThrough(mocks, "d-ROLLBACK1", PROD, [{ status: "Failed", error: { code: "HOOK_EXECUTION_FAILURE", message: "smoke test failed" } }]);
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(3);
  });

  it("refuses while a deployment is in flight (exit 8) and points at stop", async () => {
    deploymentsOf(mocks, PROD, ["d-INFLIGHT1"]);
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(8);
    expect(result.stderr).toBe("bluegreen rollback: deployment d-INFLIGHT1 is in flight in prod; `npx bluegreen stop --env prod` stops it and rolls it back\n");
  });

  it("exits 13 when no earlier successful deployment has another task definition", async () => {
    deploymentsOf(mocks, PROD, ["d-LIVE00005"], "succeeded");
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(13);
    expect(result.stderr).toBe("bluegreen rollback: no earlier successful deployment of bluegreen-demo-prod with another task definition than bluegreen-demo-prod:5 (looked at 1)\n");
    expect(mocks.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("says when earlier deployments carry no appspec it can reuse", async () => {
    mocks.codedeploy.on(GetDeploymentCommand, { deploymentId: "d-PREV00004" }).resolves({
      deploymentInfo: { ...deploymentInfo("d-PREV00004", PROD, { status: "Succeeded" }, 600), revision: { revisionType: "S3", s3Location: { bucket: "b", key: "k", bundleType: "YAML" } } },
    });
    const result = await ops(["rollback", "--env", "prod", "--yes"]);
    expect(result.code).toBe(13);
    expect(result.stderr).toContain("(looked at 2, 1 without an appspec naming a task definition)");
  });

  it("needs --env when there are several environments", async () => {
    const result = await ops(["rollback", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("bluegreen rollback: rollback needs --env (one of staging, prod)\n");
  });

  it("calls exactly the IAM actions the permission table lists for rollback, beside the one CreateDeployment implies", () => {
    expect(permissionsFor("rollback", "codedeploy")).toContain("codedeploy:GetDeploymentConfig");
    expect(called.rollback.has("codedeploy:CreateDeployment")).toBe(true);
    expect([...called.rollback].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(
      permissionsFor("rollback", "codedeploy").filter((a) => !IMPLIED_PERMISSIONS.includes(a)),
    );
  });
});
