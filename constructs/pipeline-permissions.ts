import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { BlueGreenDeployment } from "./blue-green-deployment";
import { ContainerRepository } from "./container-repository";
import { PolicyStatement } from "./iam";
import { ImageBuild } from "./image-build";
import { SourceConnection } from "./source-connection";

/** Starting and following the build (the Build stage's CodeBuild action). */
export const PIPELINE_BUILD_ACTIONS = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"] as const;
/** CodeDeployToECS on the deployment group: start a deployment and follow it. */
export const PIPELINE_DEPLOYMENT_GROUP_ACTIONS = ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"] as const;
/** CodeDeployToECS on the application: register the appspec revision it built. */
export const PIPELINE_APPLICATION_ACTIONS = [
  "codedeploy:GetApplication",
  "codedeploy:GetApplicationRevision",
  "codedeploy:RegisterApplicationRevision",
] as const;
/** CodeDeployToECS reads the deployment configuration the group uses. */
export const PIPELINE_DEPLOYMENT_CONFIG_ACTIONS = ["codedeploy:GetDeploymentConfig"] as const;
/** CodeDeployToECS registers the rendered task definition. */
export const PIPELINE_REGISTER_TASK_DEFINITION_ACTIONS = ["ecs:RegisterTaskDefinition"] as const;
/** Tagging a task definition while registering it (only when the template carries tags). */
export const PIPELINE_TAG_TASK_DEFINITION_ACTIONS = ["ecs:TagResource"] as const;
/** The ECR source action reads the image behind the watched tag. */
export const PIPELINE_ECR_SOURCE_ACTIONS = ["ecr:DescribeImages"] as const;

export interface PipelineRolePolicyInput {
  /** Any construct of the stack (ARN tokens are compared after resolving them in it). */
  readonly scope: IConstruct;
  /** The connection the source action uses (absent for the legacy webhook source, which needs no AWS permission). */
  readonly connection?: SourceConnection;
  /** `owner/repository` the connection may be used for. */
  readonly fullRepositoryId: string;
  /** The Build stage's project (codebuild mode). */
  readonly build?: ImageBuild;
  /** The repository the ECR source action reads (ecr mode). */
  readonly repository?: ContainerRepository;
  /** Environments in deployment order. */
  readonly targets: readonly { readonly environmentName: string; readonly deployment: BlueGreenDeployment }[];
}

/**
 * The pipeline role's statements besides the artifact store and the approval topic (granted by their
 * constructs): connection, build, and per environment exactly what CodeDeployToECS calls.
 */
export function pipelineRolePolicy(input: PipelineRolePolicyInput): PolicyStatement[] {
  const statements: PolicyStatement[] = input.connection
    ? input.connection.useConnectionStatements("UseGitHubConnection", input.fullRepositoryId)
    : [];
  if (input.build) {
    statements.push({ sid: "StartImageBuild", actions: [...PIPELINE_BUILD_ACTIONS], resources: [input.build.arn] });
  }
  if (input.repository) {
    statements.push({ sid: "ReadEcrSourceImage", actions: [...PIPELINE_ECR_SOURCE_ACTIONS], resources: [input.repository.arn] });
  }
  const deployments = input.targets.map((t) => t.deployment);
  statements.push(
    {
      sid: "CodeDeployDeploymentGroups",
      actions: [...PIPELINE_DEPLOYMENT_GROUP_ACTIONS],
      resources: deployments.map((d) => d.deploymentGroupArn),
    },
    {
      sid: "CodeDeployApplications",
      actions: [...PIPELINE_APPLICATION_ACTIONS],
      resources: unique(input.scope, deployments.map((d) => d.applicationArn)),
    },
    {
      sid: "CodeDeployDeploymentConfigs",
      actions: [...PIPELINE_DEPLOYMENT_CONFIG_ACTIONS],
      resources: unique(input.scope, deployments.map((d) => d.deploymentConfigArn)),
    },
    // ecs:RegisterTaskDefinition has no resource-level permission (the Service Authorization Reference lists no resource type).
    { sid: "RegisterTaskDefinitions", actions: [...PIPELINE_REGISTER_TASK_DEFINITION_ACTIONS], resources: ["*"] },
    {
      // Only on these families' revisions, and only as part of registering one.
      sid: "TagNewTaskDefinitions",
      actions: [...PIPELINE_TAG_TASK_DEFINITION_ACTIONS],
      resources: deployments.map((d) => `${d.service.taskDefinition.arnWithoutRevision}:*`),
      conditions: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
    },
    ...input.targets.map((t) => t.deployment.service.passRoleStatement(`PassTaskRoles${pascalCase(t.environmentName)}`)),
  );
  return statements;
}

/** `eu-prod` -> `EuProd` (statement ids are alphanumeric). */
function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/**
 * Environments share the CodeDeploy application (and often a preset config), but each holds its own token for
 * the same ARN: compare the resolved references so each ARN is listed once.
 */
function unique(scope: IConstruct, values: readonly string[]): string[] {
  const resolver = new DefaultTokenResolver(new StringConcat());
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(Tokenization.resolve(value, { scope, resolver }));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
