/**
 * Names and file shapes shared by the pipeline (DeliveryPipeline, ImageBuild), the build's render script
 * (`constructs/assets/deploy-files/transform.cjs`, plain JS so CodeBuild runs it without npm) and the GitHub stack, which commits
 * the same files in `imageSource: ecr` mode. The file names and the rendering come from the render script's
 * own module, so what is committed at synth time and what the build writes cannot drift.
 */
import * as transform from "../../assets/deploy-files/transform.cjs";
import { BlueGreenService, BOOTSTRAP_LABEL } from "../../runtime/blue-green-service";

/** `Image1ContainerName` of the CodeDeployToECS action; the task definition template holds `<IMAGE1_NAME>`. */
export const IMAGE_PLACEHOLDER = "IMAGE1_NAME";
/** The text in the task definition template that CodeDeployToECS replaces with the image URI. */
export const IMAGE_PLACEHOLDER_TEXT = `<${IMAGE_PLACEHOLDER}>`;
/** The text in the appspec that CodeDeployToECS replaces with the task definition it registered. */
export const TASK_DEFINITION_PLACEHOLDER = "<TASK_DEFINITION>";
/** The file the deploy action reads the image from (the name is fixed by CodePipeline). */
export const IMAGE_DETAIL_FILE = "imageDetail.json";

/**
 * The task definition template of one environment. Each environment has its own task definition (family,
 * task and execution roles, log group), so the build renders one file per environment.
 */
export function taskDefinitionFileName(environmentName: string): string {
  return transform.taskDefinitionFileName(environmentName);
}

/** The complete task definition an ECS-native environment's release registers (the build renders it). */
export function revisionFileName(environmentName: string): string {
  return transform.revisionFileName(environmentName);
}

/** The appspec of one environment (hooks differ per environment). */
export function appSpecFileName(environmentName: string): string {
  return transform.appSpecFileName(environmentName);
}

/** A CodeDeploy lifecycle hook of the ECS appspec. */
export interface AppSpecHook {
  /** e.g. `AfterAllowTestTraffic`. */
  readonly lifecycleEvent: string;
  /** Lambda function name; must start with `CodeDeployHook_`: AWSCodeDeployRoleForECSLimited invokes only those. */
  readonly functionName: string;
}

export interface AppSpecInput {
  readonly containerName: string;
  readonly containerPort: number;
  /** @default - no hooks */
  readonly hooks?: readonly AppSpecHook[];
}

/** What the render script needs per environment; the build project receives a list of these as DEPLOY_TARGETS. */
export interface RenderTarget extends AppSpecInput {
  readonly environmentName: string;
  /** ARN (with revision) of the task definition Terraform registered: the single source of truth. */
  readonly taskDefinition: string;
  /**
   * Which files: `taskdef-<env>.json` and `appspec-<env>.yaml` (CodeDeployToECS), or `revision-<env>.json` (the
   * complete task definition an ECS-native release registers).
   * @default "codedeploy"
   */
  readonly format?: "codedeploy" | "revision";
}

/** The render target of a service's environment: the revision Terraform registered and the container it deploys. */
export function renderTargetOf(service: BlueGreenService, environmentName: string, files: Pick<RenderTarget, "hooks" | "format">): RenderTarget {
  return {
    environmentName,
    // The revision Terraform registered, not the family's latest (which may be one a release registered).
    taskDefinition: service.taskDefinition.arn,
    containerName: service.containerName,
    containerPort: service.containerPort,
    ...files,
  };
}

/** The ECS appspec as an object (for inspection and tests); `renderAppSpecYaml` is the file. */
export function renderAppSpec(input: AppSpecInput): Record<string, unknown> {
  validatePort(input.containerPort);
  const hooks = input.hooks ?? [];
  return {
    version: "0.0",
    Resources: [
      {
        TargetService: {
          Type: "AWS::ECS::Service",
          Properties: {
            TaskDefinition: TASK_DEFINITION_PLACEHOLDER,
            LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
          },
        },
      },
    ],
    ...(hooks.length > 0 ? { Hooks: hooks.map((hook) => ({ [hook.lifecycleEvent]: hook.functionName })) } : {}),
  };
}

/**
 * The appspec file, byte for byte what the render script writes: JSON-quoted strings (valid YAML) and the
 * unquoted `version: 0.0` CodeDeploy documents.
 */
export function renderAppSpecYaml(input: AppSpecInput): string {
  return transform.renderAppSpecYaml(input);
}

/**
 * The task definition template built from the service the AWS stack defines (for files rendered at synth
 * time, e.g. the GitHub stack's in `ecr` mode): the RegisterTaskDefinition fields Terraform sets, the
 * application image replaced by `<IMAGE1_NAME>`, and the bootstrap entry point/command/label removed.
 * The codebuild mode applies the same transformation (constructs/assets/deploy-files/transform.cjs) to the registered revision.
 */
export function renderTaskDefinitionTemplate(service: BlueGreenService): Record<string, unknown> {
  const td = service.taskDefinition;
  const volumes = Array.isArray(td.volumeInput) ? td.volumeInput.map((v) => ({ name: v.name })) : [];
  // What DescribeTaskDefinition would return for the revision Terraform registers, fed through the
  // build's own transformation.
  const described = {
    family: service.family,
    taskRoleArn: service.taskRole.arn,
    executionRoleArn: service.executionRole.arn,
    networkMode: td.networkModeInput ?? "awsvpc",
    containerDefinitions: [service.containerDefinition],
    ...(volumes.length > 0 ? { volumes } : {}),
    requiresCompatibilities: td.requiresCompatibilitiesInput ?? ["FARGATE"],
    cpu: td.cpuInput,
    memory: td.memoryInput,
    ...(td.runtimePlatformInput ? { runtimePlatform: td.runtimePlatformInput } : {}),
  };
  return transform.toTaskDefinitionTemplate(described, { containerName: service.containerName, bootstrapLabel: BOOTSTRAP_LABEL });
}

/** Removes the bootstrap entry point, command and marker label; other labels stay. */
export function withoutBootstrap(container: Record<string, unknown>): Record<string, unknown> {
  return transform.stripBootstrap(container, BOOTSTRAP_LABEL);
}

function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`containerPort must be an integer from 1 to 65535 (got ${port})`);
  }
}
