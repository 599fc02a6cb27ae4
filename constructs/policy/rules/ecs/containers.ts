/** Container definitions of task definitions: cdktf writes them as a JSON string (with `${...}` interpolations inside strings). */
import { TfBlock } from "../../types";
import { isObject, Json } from "../../values";

/** The parsed container definitions, or undefined when the argument is an expression (e.g. jsonencode). */
export function containerDefinitions(taskDefinition: TfBlock): Json[] | undefined {
  const raw = taskDefinition.body.container_definitions;
  if (typeof raw !== "string" || raw.trimStart().startsWith("${")) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every(isObject) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Each container of each inspectable task definition. */
export function containers(taskDefinitions: readonly TfBlock[]): { taskDefinition: TfBlock; container: Json; name: string }[] {
  return taskDefinitions.flatMap((taskDefinition) =>
    (containerDefinitions(taskDefinition) ?? []).map((container) => ({
      taskDefinition,
      container,
      name: typeof container.name === "string" ? container.name : "(unnamed)",
    })),
  );
}
