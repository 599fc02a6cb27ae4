import { BlueGreenService } from "./blue-green-service";
import { PolicyStatement } from "../identity/iam";

/** A deploy action registers the rendered task definition. */
export const PIPELINE_REGISTER_TASK_DEFINITION_ACTIONS = ["ecs:RegisterTaskDefinition"] as const;
/** Tagging a task definition while registering it (only when the template carries tags). */
export const PIPELINE_TAG_TASK_DEFINITION_ACTIONS = ["ecs:TagResource"] as const;

/**
 * What any deploy action that registers a new revision of the service's task definition needs: register
 * it, tag it while registering, and pass the service's task and execution roles to ECS tasks.
 */
export function registerTaskDefinitionStatements(service: BlueGreenService, environmentName: string): PolicyStatement[] {
  return [
    // ecs:RegisterTaskDefinition has no resource-level permission (the Service Authorization Reference lists no resource type).
    { sid: "RegisterTaskDefinitions", actions: [...PIPELINE_REGISTER_TASK_DEFINITION_ACTIONS], resources: ["*"] },
    {
      // Only on these families' revisions, and only as part of registering one.
      sid: "TagNewTaskDefinitions",
      actions: [...PIPELINE_TAG_TASK_DEFINITION_ACTIONS],
      resources: [`${service.taskDefinition.arnWithoutRevision}:*`],
      conditions: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
    },
    service.passRoleStatement(`PassTaskRoles${pascalCase(environmentName)}`),
  ];
}

/** `eu-prod` -> `EuProd` (statement ids are alphanumeric). */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
