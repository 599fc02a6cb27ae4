import { ContainerRepository } from "../../../../constructs/delivery/build/container-repository";
import { EcrPushTrigger } from "../../../../constructs/delivery/sources/ecr-push-trigger";
import { roleStatements } from "../../../helpers/pipeline";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson } from "../../../helpers/runtime";

const PIPELINE_ARN = "arn:aws:codepipeline:eu-west-1:123456789012:demo";

function build(mutableTagExclusions: string[] = ["release"], imageTag = "release") {
  const stack = awsTestStack();
  const repository = new ContainerRepository(stack, "Repository", { name: "demo", mutableTagExclusions });
  new EcrPushTrigger(stack, "Trigger", { name: "demo", repository, imageTag, pipelineArn: PIPELINE_ARN });
  const json = synthJson(stack);
  return { json, repositoryName: `\${${addressOf(json, "aws_ecr_repository", "Repository")}.name}` };
}

describe("EcrPushTrigger", () => {
  test("matches successful pushes of the watched tag to this repository", () => {
    const { json, repositoryName } = build();
    expect(JSON.parse(resourceById(json, "aws_cloudwatch_event_rule", "Rule").event_pattern as string)).toEqual({
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: { "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": [repositoryName], "image-tag": ["release"] },
    });
  });

  test("targets the pipeline with its own role", () => {
    const { json } = build();
    expect(resourceById(json, "aws_cloudwatch_event_target", "Target")).toMatchObject({
      arn: PIPELINE_ARN,
      role_arn: `\${${addressOf(json, "aws_iam_role", "Role")}.arn}`,
    });
  });

  test("lets EventBridge only start this pipeline", () => {
    const { json } = build();
    expect(roleStatements(json, "Trigger_Role")).toEqual([
      { sid: "StartPipeline", effect: "Allow", actions: ["codepipeline:StartPipelineExecution"], resources: [PIPELINE_ARN] },
    ]);
    expect(policyStatements(json, "Trust").find((s) => JSON.stringify(s).includes("events.amazonaws.com"))).toBeDefined();
  });

  test("accepts a tag matched by a wildcard exclusion", () => {
    expect(() => build(["release-*"], "release-eu")).not.toThrow();
  });

  test("fails when the repository cannot overwrite the watched tag, and says both ways out", () => {
    expect(() => build([], "release")).toThrow(
      'pipeline.ecrImageTag "release": the ECR source watches a fixed tag, but the repository\'s tags are immutable, so the second push of "release" would fail and the pipeline would never start again. Either use imageSource "codebuild" (the build pushes one tag per commit), or add "release" to ecr.mutableTags.',
    );
  });
});
