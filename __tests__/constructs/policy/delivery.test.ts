import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { Codepipeline } from "@cdktf/provider-aws/lib/codepipeline";
import { TerraformStack } from "cdktf";
import { address, blueGreenFixture, policyStack, violatingAddresses, violationsOf } from "../../helpers/policy";

function pipeline(stack: TerraformStack): Codepipeline {
  return new Codepipeline(stack, "Pipeline", {
    name: "app",
    roleArn: "arn:aws:iam::111111111111:role/pipeline",
    pipelineType: "V2",
    artifactStore: [{ location: "artifacts", type: "S3", encryptionKey: { id: "arn:aws:kms:eu-west-1:111111111111:key/k", type: "KMS" } }],
    stage: [{ name: "Source", action: [{ name: "Source", category: "Source", owner: "AWS", provider: "S3", version: "1", outputArtifacts: ["src"], configuration: {} }] }],
  });
}

function project(stack: TerraformStack, privilegedMode = false): CodebuildProject {
  return new CodebuildProject(stack, "Build", {
    name: "app-build",
    serviceRole: "arn:aws:iam::111111111111:role/build",
    encryptionKey: "arn:aws:kms:eu-west-1:111111111111:key/k",
    artifacts: { type: "CODEPIPELINE" },
    environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/amazonlinux2-x86_64-standard:5.0", type: "LINUX_CONTAINER", privilegedMode },
    source: { type: "CODEPIPELINE" },
    logsConfig: { cloudwatchLogs: { groupName: "/aws/codebuild/app-build", status: "ENABLED" } },
  });
}

describe("CodeDeploy rules", () => {
  test("pass on a blue/green deployment group with rollback, alarms, two target groups and both routes", () => {
    const stack = policyStack();
    blueGreenFixture(stack);
    for (const id of ["BG-CD-001", "BG-CD-002", "BG-CD-003", "BG-CD-004", "BG-CD-005"]) {
      expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
    }
  });

  test("BG-CD-001 flags rollback that ignores alarms", () => {
    const stack = policyStack();
    const { deploymentGroup } = blueGreenFixture(stack);
    // Replaces the second event (DEPLOYMENT_STOP_ON_ALARM) in the synthesized list.
    deploymentGroup.addOverride("auto_rollback_configuration.events.1", "DEPLOYMENT_STOP_ON_REQUEST");
    expect(violationsOf(stack, "BG-CD-001")).toEqual([
      expect.objectContaining({ address: address(deploymentGroup), message: "rollback events miss DEPLOYMENT_STOP_ON_ALARM" }),
    ]);
  });

  test("BG-CD-002 flags a deployment group without alarms", () => {
    const stack = policyStack();
    const { deploymentGroup } = blueGreenFixture(stack);
    deploymentGroup.addOverride("alarm_configuration.enabled", false);
    expect(violatingAddresses(stack, "BG-CD-002")).toEqual([address(deploymentGroup)]);
  });

  test("BG-CD-003 flags an in-place deployment style", () => {
    const stack = policyStack();
    const { deploymentGroup } = blueGreenFixture(stack);
    deploymentGroup.addOverride("deployment_style.deployment_type", "IN_PLACE");
    expect(violatingAddresses(stack, "BG-CD-003")).toEqual([address(deploymentGroup)]);
  });

  test("BG-CD-004 flags the same target group twice", () => {
    const stack = policyStack();
    const { deploymentGroup, blue } = blueGreenFixture(stack);
    deploymentGroup.addOverride("load_balancer_info.target_group_pair_info.target_group.1.name", blue.name);
    expect(violationsOf(stack, "BG-CD-004")[0].message).toBe("target_group_pair_info has 2 target groups that are the same");
  });

  test("BG-CD-005 flags a deployment group without a test route", () => {
    const stack = policyStack();
    const { deploymentGroup } = blueGreenFixture(stack);
    deploymentGroup.addOverride("load_balancer_info.target_group_pair_info.test_traffic_route", undefined);
    expect(violationsOf(stack, "BG-CD-005")[0].message).toBe("no test traffic route listener");
  });
});

describe("CodePipeline and CodeBuild rules", () => {
  test("pass on a V2 pipeline with a KMS artifact store and an encrypted, logged build", () => {
    const stack = policyStack();
    pipeline(stack);
    project(stack);
    for (const id of ["BG-CP-001", "BG-CP-002", "BG-CB-001", "BG-CB-002", "BG-CB-003"]) {
      expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
    }
  });

  test("BG-CP-001 flags a V1 pipeline", () => {
    const stack = policyStack();
    pipeline(stack).addOverride("pipeline_type", "V1");
    expect(violationsOf(stack, "BG-CP-001")[0].message).toBe("pipeline_type is V1");
  });

  test("BG-CP-002 flags an artifact store without a KMS key", () => {
    const stack = policyStack();
    const p = pipeline(stack);
    p.addOverride("artifact_store.0.encryption_key", undefined);
    expect(violatingAddresses(stack, "BG-CP-002")).toEqual([address(p)]);
  });

  test("BG-CB-001 flags a project without an encryption key", () => {
    const stack = policyStack();
    const b = project(stack);
    b.addOverride("encryption_key", undefined);
    expect(violationsOf(stack, "BG-CB-001")).toEqual([expect.objectContaining({ address: address(b), message: "no encryption_key" })]);
  });

  test("BG-CB-002 flags a project that logs to an unmanaged group", () => {
    const stack = policyStack();
    const b = project(stack);
    b.addOverride("logs_config", undefined);
    expect(violatingAddresses(stack, "BG-CB-002")).toEqual([address(b)]);
  });

  test("BG-CB-003 flags privileged mode", () => {
    const stack = policyStack();
    const b = project(stack, true);
    expect(violatingAddresses(stack, "BG-CB-003")).toEqual([address(b)]);
  });
});
