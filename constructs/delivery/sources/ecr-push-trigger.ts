import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ContainerRepository } from "../build/container-repository";
import { ServiceRole } from "../../identity/iam";
import { shortName } from "../../core/naming";

/** What the rule's role may do: start this one pipeline. */
export const START_PIPELINE_ACTIONS = ["codepipeline:StartPipelineExecution"] as const;

/** EventBridge rule and role names are limited to 64 characters. */
const NAME_MAX_LENGTH = 64;

export interface EcrPushTriggerProps {
  /** Prefix of the rule and role names. */
  readonly name: string;
  /** Repository whose pushes start the pipeline. */
  readonly repository: ContainerRepository;
  /** The tag whose successful push starts the pipeline. */
  readonly imageTag: string;
  /** ARN of the pipeline to start. */
  readonly pipelineArn: string;
}

/**
 * Starts the pipeline when an image is pushed with the watched tag (`imageSource: ecr`): CodePipeline's
 * ECR source action does not poll, and Terraform does not create the rule the console would.
 */
export class EcrPushTrigger extends Construct {
  public readonly rule: CloudwatchEventRule;
  public readonly target: CloudwatchEventTarget;
  public readonly role: ServiceRole;
  /** The event pattern, as an object (for tests and docs). */
  public readonly eventPattern: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: EcrPushTriggerProps) {
    super(scope, id);
    assertTagCanBeOverwritten(props.repository, props.imageTag);
    this.eventPattern = {
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: {
        "action-type": ["PUSH"],
        result: ["SUCCESS"],
        "repository-name": [props.repository.repositoryName],
        "image-tag": [props.imageTag],
      },
    };
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: shortName(props.name, "ecr-push", NAME_MAX_LENGTH),
      description: `Starts pipeline ${props.name} when ${props.imageTag} is pushed`,
      // Not an IAM policy: an event pattern. The repository name token resolves inside the string.
      eventPattern: JSON.stringify(this.eventPattern),
    });
    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "ecr-push-trigger", NAME_MAX_LENGTH),
      servicePrincipal: "events.amazonaws.com",
      // Confused-deputy protection as EventBridge documents it for a target's role: this rule, this account.
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [Fn.element(Fn.split(":", this.rule.arn), 4)] },
        { test: "ArnEquals", variable: "aws:SourceArn", values: [this.rule.arn] },
      ],
      description: `EventBridge starts pipeline ${props.name} on a push of ${props.imageTag}`,
    });
    this.role.addToPolicy({ sid: "StartPipeline", actions: [...START_PIPELINE_ACTIONS], resources: [props.pipelineArn] });
    this.target = new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      targetId: "pipeline",
      arn: props.pipelineArn,
      roleArn: this.role.arn,
    });
  }
}

/**
 * An ECR source watching a fixed tag only fires again if that tag can be pushed again: refuse an immutable
 * repository unless the tag matches one of its mutability exclusions.
 */
export function assertTagCanBeOverwritten(repository: ContainerRepository, tag: string): void {
  const resource = repository.repository;
  const mutability = resource.imageTagMutabilityInput ?? "MUTABLE";
  const filters = resource.imageTagMutabilityExclusionFilterInput;
  const patterns = Array.isArray(filters) ? filters.map((f) => f.filter) : [];
  const excluded = patterns.some((pattern) => wildcardMatch(pattern, tag));
  if (mutability === "MUTABLE" || (mutability === "IMMUTABLE_WITH_EXCLUSION" && excluded)) {
    return;
  }
  throw new Error(
    `pipeline.ecrImageTag "${tag}": the ECR source watches a fixed tag, but the repository's tags are immutable, so the ` +
      `second push of "${tag}" would fail and the pipeline would never start again. Either use imageSource "codebuild" ` +
      `(the build pushes one tag per commit), or add "${tag}" to ecr.mutableTags.`,
  );
}

function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return regex.test(value);
}
