import { CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { BlueGreenService } from "./blue-green-service";
import { imageDefinitionsFileName } from "./deploy-artifacts";
import { ARTIFACTS, DeployBinding } from "./pipeline-action";
import { pascalCase, registerTaskDefinitionStatements } from "./task-definition-grants";

/** The ECS action reads the service and the revision it runs, and starts a deployment with UpdateService. */
export const PIPELINE_ECS_SERVICE_ACTIONS = ["ecs:DescribeServices", "ecs:UpdateService"] as const;
/** The ECS action reads the service's current task definition to derive the new revision from it. */
export const PIPELINE_DESCRIBE_TASK_DEFINITION_ACTIONS = ["ecs:DescribeTaskDefinition"] as const;

/**
 * The standard Amazon ECS deploy action (provider `ECS`) of an environment on ECS-native blue/green.
 *
 * What this relies on, from AWS's documentation:
 * - CodePipeline User Guide, "Amazon Elastic Container Service deploy action reference": the action reads
 *   `imagedefinitions.json` (FileName), creates its own revision of the task definition from the revision the
 *   service uses with the image replaced, and updates the service; its minimum permissions are
 *   ecs:DescribeServices/UpdateService on the service, ecs:DescribeTaskDefinition/RegisterTaskDefinition,
 *   ecs:TagResource on create, and iam:PassRole of the task roles.
 * - ECS Developer Guide, "Migrate CodeDeploy blue/green deployments to Amazon ECS blue/green deployments": with
 *   ECS blue/green "the deployment configuration is part of the Amazon ECS service itself" and "a new service
 *   revision is created by calling Amazon ECS UpdateService()"; CI/CD pipelines move "to use the Amazon ECS
 *   UpdateService API instead of the CodeDeploy CreateDeployment API".
 * So the UpdateService this action makes starts a deployment with the service's own BLUE_GREEN strategy (bake
 * time, lifecycle hooks, alarms). The action reference itself does not name the strategy; that step is an
 * inference from the two pages, stated here so it can be rechecked against a real account.
 */
export function ecsDeployAction(service: BlueGreenService, binding: DeployBinding, serviceRoleArns: readonly string[] = []): CodepipelineStageAction {
  if (binding.image !== ARTIFACTS.build) {
    throw new Error(
      `environment ${binding.environmentName}: ECS-native blue/green deploys with imagedefinitions.json, which only the pipeline's build writes (pipeline.imageSource must be codebuild)`,
    );
  }
  binding.grant(
    // The service ARN is the resource of both (arn:...:service/<cluster>/<service>).
    { sid: "EcsDeployServices", actions: [...PIPELINE_ECS_SERVICE_ACTIONS], resources: [service.service.id] },
    // ecs:DescribeTaskDefinition has no resource-level permission (the Service Authorization Reference lists no resource type).
    { sid: "DescribeTaskDefinitions", actions: [...PIPELINE_DESCRIBE_TASK_DEFINITION_ACTIONS], resources: ["*"] },
    ...registerTaskDefinitionStatements(service, binding.environmentName),
    // The action reference's minimum policy lets the action pass roles to ecs.amazonaws.com as well: the roles
    // the service itself names (infrastructure role, hook role), only towards ECS.
    ...(serviceRoleArns.length > 0
      ? [
          {
            sid: `PassEcsServiceRoles${pascalCase(binding.environmentName)}`,
            actions: ["iam:PassRole"],
            resources: [...serviceRoleArns],
            conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs.amazonaws.com"] }],
          },
        ]
      : []),
  );
  return {
    name: "BlueGreen",
    category: "Deploy",
    owner: "AWS",
    provider: "ECS",
    version: "1",
    inputArtifacts: [binding.image],
    configuration: {
      ClusterName: service.cluster.clusterName,
      ServiceName: service.service.name,
      FileName: imageDefinitionsFileName(binding.environmentName),
    },
  };
}
