import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { address, blueGreenFixture, policyStack, violatingAddresses, violationsOf } from "../../helpers/policy";

const NETWORK_RULES = ["BG-ALB-001", "BG-ALB-002", "BG-ALB-003", "BG-ALB-004", "BG-ALB-005", "BG-LSN-001", "BG-SG-001", "BG-SG-002"];

describe("ALB, listener and security group rules", () => {
  test("pass on an HTTP blue/green environment", () => {
    const stack = policyStack();
    blueGreenFixture(stack);
    for (const id of NETWORK_RULES) expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
  });

  test("pass on an HTTPS blue/green environment with its HTTP redirect open to the internet", () => {
    const stack = policyStack();
    blueGreenFixture(stack, "Env", { https: true });
    for (const id of NETWORK_RULES) expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
  });

  test("BG-ALB-001 flags an ALB that keeps invalid header fields", () => {
    const stack = policyStack();
    const { lb } = blueGreenFixture(stack);
    lb.addOverride("drop_invalid_header_fields", false);
    expect(violatingAddresses(stack, "BG-ALB-001")).toEqual([address(lb)]);
  });

  test("BG-ALB-002 flags an HTTPS listener on a TLS 1.0 policy", () => {
    const stack = policyStack();
    const { prodListener } = blueGreenFixture(stack, "Env", { https: true });
    prodListener.addOverride("ssl_policy", "ELBSecurityPolicy-2016-08");
    expect(violationsOf(stack, "BG-ALB-002")).toEqual([
      expect.objectContaining({ address: address(prodListener), message: "ssl_policy is ELBSecurityPolicy-2016-08" }),
    ]);
  });

  test("BG-ALB-003 flags an HTTP listener that forwards on an HTTPS load balancer", () => {
    const stack = policyStack();
    const { redirectListener, blue } = blueGreenFixture(stack, "Env", { https: true });
    if (!redirectListener) throw new Error("HTTPS fixture has a redirect listener");
    // Index paths merge into the synthesized list element (a whole-list override would append).
    redirectListener.addOverride("default_action.0", { type: "forward", target_group_arn: blue.arn, redirect: undefined });
    expect(violatingAddresses(stack, "BG-ALB-003")).toEqual([address(redirectListener)]);
  });

  test("BG-ALB-004 requires deletion protection only inside the scopes that ask for it", () => {
    const stack = policyStack();
    const prod = blueGreenFixture(stack, "Prod");
    blueGreenFixture(stack, "Dev");
    const scope = prod.lb.node.scope;
    if (!scope) throw new Error("fixture has no scope");
    expect(violatingAddresses(stack, "BG-ALB-004", { deletionProtection: [scope] })).toEqual([address(prod.lb)]);
    prod.lb.addOverride("enable_deletion_protection", true);
    expect(violatingAddresses(stack, "BG-ALB-004", { deletionProtection: [scope] })).toEqual([]);
  });

  test("BG-ALB-005 flags desync mitigation in monitor mode", () => {
    const stack = policyStack();
    const { lb } = blueGreenFixture(stack);
    lb.addOverride("desync_mitigation_mode", "monitor");
    expect(violatingAddresses(stack, "BG-ALB-005")).toEqual([address(lb)]);
  });

  test("BG-LSN-001 flags a CodeDeploy listener that does not ignore default_action", () => {
    const stack = policyStack();
    const { testListener } = blueGreenFixture(stack);
    testListener.addOverride("lifecycle.ignore_changes", undefined);
    expect(violatingAddresses(stack, "BG-LSN-001")).toEqual([address(testListener)]);
  });

  test("BG-SG-001 flags the test listener port opened to the internet", () => {
    const stack = policyStack();
    const { securityGroup } = blueGreenFixture(stack);
    const open = new VpcSecurityGroupIngressRule(stack, "OpenTest", {
      securityGroupId: securityGroup.id,
      cidrIpv6: "::/0",
      fromPort: 8443,
      toPort: 8443,
      ipProtocol: "tcp",
      description: "test listener",
    });
    expect(violationsOf(stack, "BG-SG-001")).toEqual([
      expect.objectContaining({ address: address(open), message: "allows ::/0 to ports 8443-8443, which is not a production listener port" }),
    ]);
  });

  test("BG-SG-001 flags inline and legacy rules open to anywhere on a group without a listener", () => {
    const stack = policyStack();
    blueGreenFixture(stack);
    const tasks = new SecurityGroup(stack, "Tasks", {
      name: "tasks",
      vpcId: "vpc-123",
      ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], description: "everything" }],
    });
    new SecurityGroupRule(stack, "Legacy", {
      type: "ingress",
      securityGroupId: tasks.id,
      fromPort: 80,
      toPort: 80,
      protocol: "tcp",
      cidrBlocks: ["0.0.0.0/0"],
      description: "http",
    });
    expect(violatingAddresses(stack, "BG-SG-001").sort()).toEqual([address(tasks), "aws_security_group_rule.Legacy"]);
  });

  test("BG-SG-002 flags rules without a description", () => {
    const stack = policyStack();
    const { securityGroup } = blueGreenFixture(stack);
    const rule = new VpcSecurityGroupIngressRule(stack, "Undescribed", {
      securityGroupId: securityGroup.id,
      referencedSecurityGroupId: securityGroup.id,
      fromPort: 80,
      toPort: 80,
      ipProtocol: "tcp",
    });
    expect(violatingAddresses(stack, "BG-SG-002")).toEqual([address(rule)]);
  });
});
