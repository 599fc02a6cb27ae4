/** The live side of an environment in ECS and ECR: the service, its task definition, and the image it runs. */
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, Service, TaskDefinition } from "@aws-sdk/client-ecs";
import { ExitCode, OpsError } from "./errors";
import { EnvironmentTarget } from "./project";
import { Session } from "./session";

export interface LiveImage {
  readonly image: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Repository path without the registry host. */
  readonly repository: string;
}

/** The ECS service of an environment and the task definition production runs (the PRIMARY task set's). */
export async function liveService(session: Session, env: EnvironmentTarget): Promise<{ service: Service; taskDefinition?: string }> {
  const out = await session.clients.ecs.send(new DescribeServicesCommand({ cluster: env.clusterName, services: [env.serviceName] }));
  const service = out.services?.find((s) => s.status !== "INACTIVE");
  if (!service) {
    throw new OpsError(
      ExitCode.NotDeployed,
      `not deployed: ECS service ${env.serviceName} in cluster ${env.clusterName} does not exist; deploy the stack first (npx cdktf deploy ${session.service.stackId})`,
    );
  }
  const primary = service.taskSets?.find((set) => set.status === "PRIMARY");
  return { service, taskDefinition: primary?.taskDefinition ?? service.taskDefinition };
}

export async function describeTaskDefinition(session: Session, taskDefinition: string): Promise<TaskDefinition> {
  const out = await session.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  return out.taskDefinition ?? {};
}

/** The application container's image, with its ECR digest when it comes from the project's repository by tag. */
export async function liveImage(session: Session, env: EnvironmentTarget, definition: TaskDefinition): Promise<LiveImage> {
  const parsed = parseImage(definition.containerDefinitions?.find((c) => c.name === env.containerName)?.image ?? "");
  const repository = session.service.repositoryName;
  if (parsed.digest || !parsed.tag || !repository || parsed.repository !== repository) return parsed;
  try {
    const images = await session.clients.ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: parsed.tag }] }));
    return { ...parsed, digest: images.imageDetails?.[0]?.imageDigest };
  } catch (error) {
    // Expired by the lifecycle policy: the service still runs it (tasks keep their pulled image), a rollback to it would fail.
    if ((error as { name?: string }).name === "ImageNotFoundException") return parsed;
    throw error;
  }
}

/** Splits `123.dkr.ecr.eu-west-1.amazonaws.com/repo:tag` or `repo@sha256:...` into its parts. */
export function parseImage(image: string): LiveImage {
  const at = image.indexOf("@");
  const base = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = base.lastIndexOf(":");
  const hasTag = colon > base.lastIndexOf("/");
  const path = hasTag ? base.slice(0, colon) : base;
  return { image, tag: hasTag ? base.slice(colon + 1) : undefined, digest, repository: path.replace(/^[^/]+\.amazonaws\.com\//, "") };
}

/** `family:revision` of a task definition ARN. */
export function shortTaskDefinition(arn: string): string {
  return arn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, "");
}
