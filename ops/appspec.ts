/**
 * The ECS appspec `rollback` deploys: the pipeline's own appspec, rendered by the same module the build runs
 * (constructs/assets/deploy-files/transform.cjs: plain CommonJS without dependencies, so importing it does not
 * load cdktf), with the task definition filled in where the pipeline leaves `<TASK_DEFINITION>` for
 * CodeDeployToECS.
 */
import * as transform from "../constructs/assets/deploy-files/transform.cjs";

/** A Lambda hook of the appspec, at a CodeDeploy ECS lifecycle event. */
export interface AppSpecHook {
  readonly lifecycleEvent: string;
  readonly functionName: string;
}

export interface AppSpecInput {
  readonly containerName: string;
  readonly containerPort: number;
  readonly hooks?: readonly AppSpecHook[];
}

/** The appspec YAML with `taskDefinition` (an ARN) in place of the pipeline's placeholder. */
export function renderAppSpec(input: AppSpecInput, taskDefinition: string): string {
  const template = transform.renderAppSpecYaml({ containerName: input.containerName, containerPort: input.containerPort, hooks: input.hooks ?? [] });
  return template.replace(JSON.stringify(transform.TASK_DEFINITION_PLACEHOLDER), JSON.stringify(taskDefinition));
}

/** The task definition ARN an appspec (YAML or JSON) deploys, if it names one. */
export function taskDefinitionOf(appSpec: string): string | undefined {
  return /TaskDefinition"?\s*:\s*"?(arn:aws[a-z-]*:ecs:[^"'\s]+:task-definition\/[^"'\s]+)/.exec(appSpec)?.[1];
}
