import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { TerraformStack } from "cdktf";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Fn } from "cdktf";
import { address, blueGreenFixture, COMPLIANT_CONTAINER, policyStack, removeConstruct, violatingAddresses, violationsOf } from "../../helpers/policy";

const ECS_RULES = ["BG-ECS-001", "BG-ECS-002", "BG-ECS-003", "BG-ECS-004", "BG-ECS-005", "BG-ECS-006", "BG-ECS-007", "BG-ECS-008", "BG-ECS-009", "BG-ECS-010", "BG-ECS-011"];

/** An ECS-native blue/green service and the two listener rules it names, compliant unless changed. */
function ecsNativeFixture(stack: TerraformStack) {
  const rule = (id: string) =>
    new LbListenerRule(stack, id, {
      listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/demo/1/2",
      priority: 1,
      condition: [{ pathPattern: { values: ["/*"] } }],
      action: [{ type: "forward", forward: { targetGroup: [{ arn: "blue", weight: 100 }, { arn: "green", weight: 0 }] } }],
      lifecycle: { ignoreChanges: ["action"] },
    });
  const productionRule = rule("ProductionRule");
  const testRule = rule("TestRule");
  const service = new EcsService(stack, "NativeService", {
    name: "demo-prod",
    deploymentController: { type: "ECS" },
    deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "5" },
    loadBalancer: [
      {
        targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/1",
        containerName: "app",
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/2",
          productionListenerRule: productionRule.arn,
          testListenerRule: testRule.arn,
          roleArn: "arn:aws:iam::123456789012:role/infra",
        },
      },
    ],
    lifecycle: { ignoreChanges: ["task_definition", "load_balancer"] },
  });
  return { service, productionRule, testRule };
}

describe("ECS rules", () => {
  test("pass on a CODE_DEPLOY service with a compliant task definition", () => {
    const stack = policyStack();
    blueGreenFixture(stack);
    for (const id of ECS_RULES) expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
  });

  test("BG-ECS-001 flags a deployment group target that uses the ECS controller", () => {
    const stack = policyStack();
    const { service } = blueGreenFixture(stack);
    service.addOverride("deployment_controller.type", "ECS");
    expect(violationsOf(stack, "BG-ECS-001")[0].message).toBe("a deployment group targets it but the controller is not CODE_DEPLOY");
  });

  test("BG-ECS-001 flags a CODE_DEPLOY service no deployment group deploys", () => {
    const stack = policyStack();
    const { service, deploymentGroup } = blueGreenFixture(stack);
    removeConstruct(deploymentGroup);
    expect(violatingAddresses(stack, "BG-ECS-001")).toEqual([address(service)]);
  });

  test("BG-ECS-002 flags a CODE_DEPLOY service that lets Terraform reset the task definition", () => {
    const stack = policyStack();
    const { service } = blueGreenFixture(stack);
    service.addOverride("lifecycle.ignore_changes", undefined);
    expect(violationsOf(stack, "BG-ECS-002")[0].message).toBe("ignore_changes does not cover task_definition, load_balancer");
  });

  test("BG-ECS-003 flags a CODE_DEPLOY service with both target groups attached", () => {
    const stack = policyStack();
    const { service, green } = blueGreenFixture(stack);
    service.addOverride("load_balancer", [{ target_group_arn: green.arn, container_name: "web", container_port: 8080 }]);
    expect(violationsOf(stack, "BG-ECS-003")[0].message).toBe("has 2 load_balancer blocks");
  });

  test("BG-ECS-004 flags a container without awslogs", () => {
    const stack = policyStack();
    const { taskDefinition } = blueGreenFixture(stack, "Env", { containers: [{ ...COMPLIANT_CONTAINER, logConfiguration: undefined }] });
    expect(violationsOf(stack, "BG-ECS-004")).toEqual([
      expect.objectContaining({ address: address(taskDefinition), message: 'container "web" does not log with awslogs to a log group' }),
    ]);
  });

  test("BG-ECS-005 flags a privileged container", () => {
    const stack = policyStack();
    blueGreenFixture(stack, "Env", { containers: [{ ...COMPLIANT_CONTAINER, privileged: true }] });
    expect(violationsOf(stack, "BG-ECS-005")[0].message).toBe('container "web" is privileged');
  });

  test("BG-ECS-006 flags tasks with public IPs", () => {
    const stack = policyStack();
    const { service } = blueGreenFixture(stack);
    service.addOverride("network_configuration.assign_public_ip", true);
    expect(violatingAddresses(stack, "BG-ECS-006")).toEqual([address(service)]);
  });

  test("BG-ECS-007 flags a writable root filesystem", () => {
    const stack = policyStack();
    blueGreenFixture(stack, "Env", { containers: [{ ...COMPLIANT_CONTAINER, readonlyRootFilesystem: false }] });
    expect(violationsOf(stack, "BG-ECS-007")[0].message).toBe('container "web" has a writable root filesystem');
  });

  test("BG-ECS-008 flags a cluster without Container Insights", () => {
    const stack = policyStack();
    const { cluster } = blueGreenFixture(stack);
    cluster.addOverride("setting.0.value", "disabled");
    expect(violatingAddresses(stack, "BG-ECS-008")).toEqual([address(cluster)]);
  });

  test("BG-ECS-009 flags a task definition that reuses the execution role as task role", () => {
    const stack = policyStack();
    const { taskDefinition } = blueGreenFixture(stack);
    taskDefinition.addOverride("task_role_arn", "arn:aws:iam::111111111111:role/execution");
    expect(violatingAddresses(stack, "BG-ECS-009")).toEqual([address(taskDefinition)]);
  });

  test("BG-ECS-011 passes an ECS-native service that ignores what ECS changes", () => {
    const stack = policyStack();
    ecsNativeFixture(stack);
    expect(violatingAddresses(stack, "BG-ECS-011")).toEqual([]);
  });

  test("BG-ECS-011 flags an ECS-native service that lets Terraform reset the live target group", () => {
    const stack = policyStack();
    const { service } = ecsNativeFixture(stack);
    service.lifecycle = { ignoreChanges: ["task_definition"] };
    expect(violationsOf(stack, "BG-ECS-011").map((v) => [v.address, v.message])).toEqual([[address(service), "ignore_changes does not cover load_balancer"]]);
  });

  test("BG-ECS-011 flags a test listener rule whose weights Terraform would reset", () => {
    const stack = policyStack();
    const { testRule } = ecsNativeFixture(stack);
    testRule.addOverride("lifecycle.ignore_changes", undefined);
    expect(violationsOf(stack, "BG-ECS-011").map((v) => [v.address, v.message])).toEqual([
      [address(testRule), "ECS reweights this rule's action, but ignore_changes does not cover action"],
    ]);
  });

  test("BG-ECS-010 flags container definitions built with jsonencode", () => {
    const stack = policyStack();
    const taskDefinition = new EcsTaskDefinition(stack, "Encoded", { family: "encoded", containerDefinitions: Fn.jsonencode([COMPLIANT_CONTAINER]) });
    expect(violatingAddresses(stack, "BG-ECS-010")).toEqual([address(taskDefinition)]);
  });

  test("ECS container rules ignore services outside blue/green", () => {
    const stack = policyStack();
    new EcsService(stack, "Worker", { name: "worker", deploymentController: { type: "ECS" } });
    expect(violatingAddresses(stack, "BG-ECS-001")).toEqual([]);
  });
});
