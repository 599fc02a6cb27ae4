/**
 * The ECS appspec `rollback` deploys: the exact text the pipeline's render step writes (same keys, order and
 * quoting; __tests__/ops/appspec.test.ts compares it with constructs/deploy-artifacts.ts byte for byte), with the
 * task definition filled in where the pipeline leaves `<TASK_DEFINITION>` for CodeDeployToECS.
 * Kept here rather than imported so the command does not load cdktf at start-up.
 */
import { Hook } from "./project";

export interface AppSpecInput {
  readonly containerName: string;
  readonly containerPort: number;
  readonly hooks?: readonly Hook[];
}

/** The appspec YAML with `taskDefinition` (an ARN, or `<TASK_DEFINITION>` as the pipeline's template has it). */
export function renderAppSpec(input: AppSpecInput, taskDefinition: string): string {
  const lines = [
    "version: 0.0",
    "Resources:",
    "  - TargetService:",
    "      Type: AWS::ECS::Service",
    "      Properties:",
    `        TaskDefinition: ${JSON.stringify(taskDefinition)}`,
    "        LoadBalancerInfo:",
    `          ContainerName: ${JSON.stringify(input.containerName)}`,
    `          ContainerPort: ${input.containerPort}`,
  ];
  const hooks = input.hooks ?? [];
  if (hooks.length > 0) lines.push("Hooks:", ...hooks.map((hook) => `  - ${hook.lifecycleEvent}: ${JSON.stringify(hook.functionName)}`));
  return `${lines.join("\n")}\n`;
}

/** The task definition ARN an appspec (YAML or JSON) deploys, if it names one. */
export function taskDefinitionOf(appSpec: string): string | undefined {
  return /TaskDefinition"?\s*:\s*"?(arn:aws[a-z-]*:ecs:[^"'\s]+:task-definition\/[^"'\s]+)/.exec(appSpec)?.[1];
}
