import { GetDeploymentCommand, ListDeploymentsCommand } from "@aws-sdk/client-codedeploy";
import { permissionsFor } from "../../ops/permissions";
import { alarms, deploymentGoesThrough, deploymentInfo, Moment, SUCCESS_PATH } from "./deployment-fixtures";
import { actionsCalled, deploymentsOf, Mocks, mockAws, runOps, synthesized } from "./harness";

const project = synthesized("default.yaml");
const PROD = "bluegreen-demo-prod";
const ID = "d-7Q2EXAMPLE";
let mocks: Mocks;
const called = new Set<string>();

beforeEach(() => {
  mocks = mockAws();
  deploymentsOf(mocks, "bluegreen-demo-staging", []);
  deploymentsOf(mocks, PROD, [ID]);
  alarms(mocks, "prod");
});
afterEach(() => actionsCalled(mocks).forEach((action) => called.add(action)));

const wait = (args: string[] = [], tty = false) => runOps(["wait", ...args], { ...project, tty });

describe("bluegreen wait", () => {
  it("follows the deployment in flight to success in CI: one line per change, exit 0", async () => {
    deploymentGoesThrough(mocks, ID, PROD, SUCCESS_PATH);
    const result = await wait();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
    // Five distinct states: the repeated poll prints nothing.
    expect(result.stdout.split("\n").filter((l) => l.includes("· traffic"))).toHaveLength(5);
    expect(result.sleeps).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(result.stderr).toBe("");
  });

  it("draws a traffic bar in place on a terminal", async () => {
    deploymentGoesThrough(mocks, ID, PROD, SUCCESS_PATH);
    const result = await wait([], true);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\r\x1b[2Kprod d-7Q2EXAMPLE [#####-------------------] InProgress · traffic 20% · step AllowTraffic · hooks AfterAllowTestTraffic Succeeded · alarms OK (4)");
    expect(result.stdout).toContain("[########################] Succeeded · traffic 100%");
    expect(result.stdout).toMatch(/\nprod d-7Q2EXAMPLE: Succeeded after 50s\n$/);
  });

  it("exits 3 when CodeDeploy rolls back a failed deployment", async () => {
    deploymentGoesThrough(mocks, ID, PROD, [
      { status: "InProgress", step: "AllowTraffic", traffic: 20 },
      { status: "Failed", step: "AllowTraffic", stepStatus: "Failed", traffic: 0, error: { code: "CUSTOMER_APPLICATION_UNHEALTHY", message: "tasks never became healthy" }, rollback: "Rolled back by deployment d-ROLLBACK1" },
    ]);
    const result = await wait(["--env", "prod"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("prod d-7Q2EXAMPLE: Failed (CUSTOMER_APPLICATION_UNHEALTHY: tasks never became healthy); Rolled back by deployment d-ROLLBACK1 after 10s");
  });

  it("exits 3 when the smoke-test hook fails", async () => {
    const hookFailed: Moment = { status: "Failed", step: "AfterAllowTestTraffic", stepStatus: "Failed", error: { code: "HOOK_EXECUTION_FAILURE", message: "CodeDeployHook_bluegreen-demo-prod returned Failed" } };
    deploymentGoesThrough(mocks, ID, PROD, [{ status: "InProgress", step: "AfterAllowTestTraffic" }, hookFailed]);
    const result = await wait();
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("hooks AfterAllowTestTraffic Failed");
    expect(result.stdout).toContain("Failed (HOOK_EXECUTION_FAILURE: CodeDeployHook_bluegreen-demo-prod returned Failed)");
  });

  it("exits 3 when an alarm stops the deployment, and shows the alarm", async () => {
    alarms(mocks, "prod", "bluegreen-demo-prod-green-target-5xx");
    deploymentGoesThrough(mocks, ID, PROD, [
      { status: "Stopped", step: "AllowTraffic", stepStatus: "Failed", traffic: 20, error: { code: "ALARM_ACTIVE", message: "One or more alarms have been activated" }, rollback: "rolling back" },
    ]);
    const result = await wait();
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("alarms bluegreen-demo-prod-green-target-5xx ALARM");
    expect(result.stdout).toContain("prod d-7Q2EXAMPLE: stopped by an alarm and rolled back (ALARM_ACTIVE: One or more alarms have been activated); rolling back");
  });

  it("exits 4 when someone stops the deployment", async () => {
    deploymentGoesThrough(mocks, ID, PROD, [{ status: "Stopped", step: "AllowTraffic", stepStatus: "Failed", error: { code: "MANUAL_STOP", message: "stopped by user" } }]);
    const result = await wait();
    expect(result.code).toBe(4);
    expect(result.stdout).toContain("prod d-7Q2EXAMPLE: Stopped (MANUAL_STOP: stopped by user)");
  });

  it("exits 5 after --timeout minutes and says the deployment continues", async () => {
    deploymentGoesThrough(mocks, ID, PROD, [{ status: "InProgress", step: "AllowTraffic", traffic: 20 }]);
    const result = await wait(["--timeout", "1", "--interval", "15"]);
    expect(result.code).toBe(5);
    expect(result.sleeps).toEqual([15_000, 15_000, 15_000, 15_000]);
    expect(result.stdout).toContain("prod d-7Q2EXAMPLE: still InProgress after 1m 00s; stopped watching (the deployment continues)");
  });

  it("follows the deployment given with --deployment", async () => {
    deploymentGoesThrough(mocks, "d-GIVEN0001", PROD, [SUCCESS_PATH[SUCCESS_PATH.length - 1]]);
    const result = await wait(["--env", "prod", "--deployment", "d-GIVEN0001"]);
    expect(result.code).toBe(0);
    expect(mocks.codedeploy.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });

  it("reads every page of in-flight deployments", async () => {
    mocks.codedeploy
      .on(ListDeploymentsCommand, { deploymentGroupName: PROD })
      .resolvesOnce({ deployments: [], nextToken: "page-2" })
      .resolvesOnce({ deployments: [ID] });
    deploymentGoesThrough(mocks, ID, PROD, [SUCCESS_PATH[SUCCESS_PATH.length - 1]]);
    const result = await wait(["--env", "prod"]);
    expect(result.code).toBe(0);
    expect(mocks.codedeploy.commandCalls(ListDeploymentsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, "page-2"]);
  });

  it("retries a throttled poll after a pause instead of failing", async () => {
    deploymentGoesThrough(mocks, ID, PROD, [SUCCESS_PATH[SUCCESS_PATH.length - 1]]);
    mocks.codedeploy
      .on(GetDeploymentCommand, { deploymentId: ID })
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }))
      .resolves({ deploymentInfo: deploymentInfo(ID, PROD, SUCCESS_PATH[SUCCESS_PATH.length - 1]) });
    const result = await wait();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.sleeps).toEqual([1000]);
    expect(mocks.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(2);
  });

  it("with --start-timeout, waits for a release that is still building to start deploying", async () => {
    mocks.codedeploy
      .on(ListDeploymentsCommand, { deploymentGroupName: PROD })
      .resolvesOnce({ deployments: [] })
      .resolvesOnce({ deployments: [] })
      .resolves({ deployments: [ID] });
    deploymentGoesThrough(mocks, ID, PROD, [SUCCESS_PATH[SUCCESS_PATH.length - 1]]);
    const result = await wait(["--env", "prod", "--start-timeout", "5", "--interval", "30"]);
    expect(result.code).toBe(0);
    expect(result.sleeps).toEqual([30_000, 30_000]);
  });

  it("with --start-timeout, exits 13 when nothing starts in time", async () => {
    deploymentsOf(mocks, PROD, []);
    const result = await wait(["--env", "prod", "--start-timeout", "1", "--interval", "30"]);
    expect(result.code).toBe(13);
    expect(result.sleeps).toEqual([30_000, 30_000]);
  });

  it("exits 13 with one line when no deployment is in flight", async () => {
    deploymentsOf(mocks, PROD, []);
    const result = await wait();
    expect(result.code).toBe(13);
    expect(result.stderr).toBe("bluegreen wait: no deployment in flight in staging, prod (bluegreen-demo); `bluegreen status` shows the last one\n");
  });

  it("rejects an unknown environment naming the allowed ones", async () => {
    const result = await wait(["--env", "qa"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bluegreen wait: --env must be one of staging, prod (got "qa")\n');
  });

  it("calls exactly the IAM actions the permission table lists for wait", () => {
    expect([...called].filter((a) => a !== "sts:GetCallerIdentity").sort()).toEqual(permissionsFor("wait", "codedeploy"));
  });
});
