/**
 * `bluegreen rollback`: redeploys the previous successful task-definition revision through CodeDeploy, with the
 * appspec shape the pipeline uses (same container, port and hooks), then follows it like `wait`.
 * The previous revision is the newest successful deployment of the group whose task definition differs from the
 * live one; its image must still be in ECR (`ecr.keepTaggedImages`).
 */
import { CreateDeploymentCommand, DeploymentInfo, GetApplicationRevisionCommand } from "@aws-sdk/client-codedeploy";
import { renderAppSpec, taskDefinitionOf } from "../appspec";
import { liveService, shortTaskDefinition } from "../ecs";
import { getDeployment, inFlightDeployment, listDeployments } from "../deployments";
import { ExitCode, OpsError } from "../errors";
import { EnvironmentTarget } from "../project";
import { confirmChange, environments, Session } from "../session";
import { follow, WaitOptions } from "./wait";

/** How many recent successful deployments to look through for an earlier revision. */
const HISTORY_LIMIT = 25;

export interface RollbackOptions extends WaitOptions {
  readonly yes?: boolean;
}

export async function rollbackCommand(session: Session, options: RollbackOptions): Promise<ExitCode> {
  const envs = environments(session, options.env);
  if (envs.length !== 1) throw new OpsError(ExitCode.Usage, `rollback needs --env (one of ${envs.map((e) => e.name).join(", ")})`);
  const [env] = envs;
  const running = await inFlightDeployment(session, env);
  if (running) {
    throw new OpsError(ExitCode.Conflict, `deployment ${running} is in flight in ${env.name}; \`npx bluegreen stop --env ${env.name}\` stops it and rolls it back`);
  }
  const { taskDefinition: live } = await liveService(session, env);
  if (!live) throw new OpsError(ExitCode.NotDeployed, `not deployed: ${env.serviceName} has no task definition`);
  const previous = await previousRevision(session, env, live);
  const content = renderAppSpec(env, previous.taskDefinition);
  await confirmChange(
    session,
    `will deploy ${shortTaskDefinition(previous.taskDefinition)} (from ${previous.deploymentId}) to ${env.name} through CodeDeploy group ${env.deploymentGroupName}, replacing ${shortTaskDefinition(live)}; traffic shifts as the group's deployment config says`,
    options.yes,
  );
  const created = await session.clients.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: env.applicationName,
      deploymentGroupName: env.deploymentGroupName,
      revision: { revisionType: "AppSpecContent", appSpecContent: { content } },
      description: `bluegreen rollback to ${shortTaskDefinition(previous.taskDefinition)} by ${session.caller}`,
    }),
  );
  if (!created.deploymentId) throw new OpsError(ExitCode.Unexpected, "CreateDeployment returned no deployment id");
  session.runtime.stdout.write(`created rollback deployment ${created.deploymentId}\n`);
  return follow(session, env, created.deploymentId, options);
}

/**
 * The appspec a deployment ran with. GetDeployment returns the revision's sha256 but never its content ("the
 * content property of the appSpecContent object in the returned revision is always null", CodeDeploy API
 * reference), so the content comes from GetApplicationRevision.
 */
async function appSpecOf(session: Session, env: EnvironmentTarget, info: DeploymentInfo): Promise<string> {
  if (info.revision?.revisionType !== "AppSpecContent") return "";
  const out = await session.clients.codedeploy.send(new GetApplicationRevisionCommand({ applicationName: env.applicationName, revision: info.revision }));
  return out.revision?.appSpecContent?.content ?? "";
}

async function previousRevision(session: Session, env: EnvironmentTarget, live: string): Promise<{ deploymentId: string; taskDefinition: string }> {
  const ids = (await listDeployments(session, env, ["Succeeded"])).slice(0, HISTORY_LIMIT);
  const infos: DeploymentInfo[] = [];
  for (const id of ids) infos.push(await getDeployment(session, id));
  infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
  let withoutAppSpec = 0;
  for (const info of infos) {
    const taskDefinition = taskDefinitionOf(await appSpecOf(session, env, info));
    if (!taskDefinition) withoutAppSpec++;
    if (taskDefinition && taskDefinition !== live) return { deploymentId: info.deploymentId ?? "", taskDefinition };
  }
  const unreadable = withoutAppSpec > 0 ? `, ${withoutAppSpec} without an appspec naming a task definition` : "";
  throw new OpsError(
    ExitCode.NothingInFlight,
    `no earlier successful deployment of ${env.deploymentGroupName} with another task definition than ${shortTaskDefinition(live)} (looked at ${infos.length}${unreadable})`,
  );
}
