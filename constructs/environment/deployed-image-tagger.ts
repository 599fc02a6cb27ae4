import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { projectPath } from "../../config/paths";
import type { BlueGreenService } from "../runtime/blue-green-service";

/** What the tagger needs of an environment's deployment: CodeDeploy's or ECS-native blue/green. */
export interface TaggedDeployment {
  /** The service whose running image gets tagged. */
  readonly service: BlueGreenService;
  /** The EventBridge pattern of this deployment's successful completions. */
  successEventPattern(): Record<string, unknown>;
}
import { ContainerRepository, DEPLOYED_TAG_PREFIX } from "../delivery/build/container-repository";
import { ServiceRole } from "../identity/iam";
import { LAMBDA_NODE_RUNTIME, lambdaBundle } from "../core/lambda-bundle";
import { shortName } from "../core/naming";

/** Its own log streams. */
export const TAGGER_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;
/** Finding the task definition of the service's PRIMARY task set. */
export const TAGGER_SERVICE_ACTIONS = ["ecs:DescribeServices"] as const;
/** Reading the container image of that task definition. */
export const TAGGER_TASK_DEFINITION_ACTIONS = ["ecs:DescribeTaskDefinition"] as const;
/** Reading the image manifest and putting it back under one more tag (no layer is uploaded). */
export const TAGGER_IMAGE_ACTIONS = ["ecr:BatchGetImage", "ecr:PutImage"] as const;

const NAME_MAX_LENGTH = 64;

export interface DeployedImageTaggerProps {
  /** Prefix of the resource names (e.g. `demo-prod`). */
  readonly name: string;
  /** Environment name in the tag (`deployed_<environmentName>_<tag>`). */
  readonly environmentName: string;
  /** The repository whose images are tagged; its lifecycle policy keeps this environment's tags (`keepDeployedImages`). */
  readonly repository: ContainerRepository;
  /** The environment's deployment: its successful deployments trigger the tagger; its service is read. */
  readonly deployment: TaggedDeployment;
  /**
   * Retention of the function's log group.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/**
 * After every successful deployment of one environment (CodeDeploy's or ECS-native blue/green), tags the image that environment now runs with
 * `deployed_<environment>_<image tag>` (a small Lambda started by EventBridge). The repository's lifecycle policy
 * keeps the newest images of each environment's tag ahead of its other rules, so an image an environment runs or
 * may roll back to never expires because other environments built and deployed more often.
 *
 * Off the pipeline's critical path on purpose: the tag follows the deployment's success asynchronously, so no
 * stage waits for it; until it lands, the new image is the repository's newest and the catch-all rule keeps it.
 */
export class DeployedImageTagger extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: ServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly rule: CloudwatchEventRule;
  /** The event pattern, as an object (for tests and docs). */
  public readonly eventPattern: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: DeployedImageTaggerProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 30;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(props.environmentName)) {
      throw new Error(`DeployedImageTagger: environmentName must be lowercase letters, digits and "-" (got "${props.environmentName}")`);
    }
    const functionName = shortName(props.name, "deployed-image-tag", NAME_MAX_LENGTH);
    const { service } = props.deployment;
    props.repository.keepDeployedImages(props.environmentName);

    // Created before the function, so Lambda does not create it without retention on the first invocation.
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", { name: `/aws/lambda/${functionName}`, retentionInDays: logRetentionDays });
    this.role = new ServiceRole(this, "Role", {
      name: shortName(props.name, "deployed-image-tag", NAME_MAX_LENGTH),
      servicePrincipal: "lambda.amazonaws.com",
      description: `Tags the image ${props.name} runs after each successful deployment`,
    });
    this.role.addToPolicy(
      { sid: "WriteTaggerLogs", actions: [...TAGGER_LOG_ACTIONS], resources: [`${this.logGroup.arn}:*`] },
      // The ECS service's Terraform id is its ARN.
      { sid: "DescribeService", actions: [...TAGGER_SERVICE_ACTIONS], resources: [service.service.id] },
      // ecs:DescribeTaskDefinition has no resource-level permission (the Service Authorization Reference lists no resource type).
      { sid: "DescribeTaskDefinition", actions: [...TAGGER_TASK_DEFINITION_ACTIONS], resources: ["*"] },
      { sid: "TagDeployedImage", actions: [...TAGGER_IMAGE_ACTIONS], resources: [props.repository.arn] },
    );

    const bundle = lambdaBundle(this, "Bundle", projectPath("constructs", "assets", "deployed-image-tag"));
    this.function = new LambdaFunction(this, "Function", {
      functionName,
      description: `Tags the image ${props.name} runs as ${DEPLOYED_TAG_PREFIX}${props.environmentName}_<tag> after each successful deployment`,
      role: this.role.arn,
      runtime: LAMBDA_NODE_RUNTIME,
      handler: "index.handler",
      architectures: ["arm64"],
      memorySize: 128,
      timeout: 30,
      filename: bundle.path,
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      environment: {
        variables: {
          CLUSTER: service.cluster.arn,
          SERVICE: service.service.name,
          CONTAINER_NAME: service.containerName,
          REPOSITORY_NAME: props.repository.repositoryName,
          ENVIRONMENT: props.environmentName,
        },
      },
      dependsOn: [this.logGroup],
    });

    this.eventPattern = props.deployment.successEventPattern();
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: shortName(props.name, "deployed", NAME_MAX_LENGTH),
      description: `Successful deployments of ${props.name}: tag the image it runs`,
      // Not an IAM policy: an event pattern. The name tokens resolve inside the string.
      eventPattern: JSON.stringify(this.eventPattern),
    });
    new CloudwatchEventTarget(this, "Target", { rule: this.rule.name, targetId: "tagger", arn: this.function.arn });
    new LambdaPermission(this, "Permission", {
      statementId: "AllowDeploymentEvents",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: this.rule.arn,
    });
  }
}
