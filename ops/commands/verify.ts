/**
 * `bluegreen verify`: checks, against the live account, what the next deployment needs: the image exists in ECR,
 * the task and execution roles exist and trust ecs-tasks.amazonaws.com, the log group exists, the target groups'
 * port and health check match the container, and the deployment machinery is wired as synthesized (the CodeDeploy
 * group to the service, target groups and listeners; or the service's ECS blue/green configuration). Prints each check with ok/FAIL; exit 6 when one fails. A missing resource is a
 * failed check; missing credentials or permissions end the command.
 */
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { describeTaskDefinition, liveImage, liveService } from "../ecs";
import { ExitCode, OpsError } from "../errors";
import { EnvironmentTarget } from "../project";
import { environments, Session } from "../session";
import { strategyFor } from "../strategies/select";
import { CheckResult } from "../strategies/strategy";

export interface Check {
  readonly env: string;
  readonly ok: boolean;
  readonly text: string;
}

const ECS_TASKS = "ecs-tasks.amazonaws.com";

export async function verifyCommand(session: Session, options: { readonly env?: string; readonly json?: boolean }): Promise<ExitCode> {
  const checks: Check[] = [];
  for (const env of environments(session, options.env)) {
    for (const check of await environmentChecks(session, env)) checks.push({ env: env.name, ...check });
  }
  const out = session.runtime.stdout;
  if (options.json) {
    out.write(`${JSON.stringify({ stack: session.service.stackId, checks }, null, 2)}\n`);
  } else {
    out.write(`verify ${session.service.stackId} · ${session.service.region} · account ${session.account}\n`);
    let current = "";
    for (const check of checks) {
      if (check.env !== current) out.write(`${(current = check.env)}\n`);
      out.write(`  ${check.ok ? "ok  " : "FAIL"}  ${check.text}\n`);
    }
    const failed = checks.filter((c) => !c.ok).length;
    out.write(failed === 0 ? `all ${checks.length} checks passed\n` : `${failed} of ${checks.length} checks failed\n`);
  }
  return checks.every((c) => c.ok) ? ExitCode.Ok : ExitCode.VerifyFailed;
}

/** Runs checks; a resource that does not exist fails the check instead of ending the command. */
async function attempt<T extends CheckResult | CheckResult[]>(what: string, check: () => Promise<T>): Promise<T | CheckResult> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof OpsError && error.exitCode === ExitCode.NotDeployed) return { ok: false, text: `${what}: ${error.message.replace(/^not deployed: /, "")}` };
    throw error;
  }
}

async function environmentChecks(session: Session, env: EnvironmentTarget): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let containerPort = env.containerPort;
  results.push(
    await attempt("image", async () => {
      const { taskDefinition } = await liveService(session, env);
      const definition = await describeTaskDefinition(session, taskDefinition ?? "");
      const container = definition.containerDefinitions?.find((c) => c.name === env.containerName);
      if (!container) return { ok: false, text: `live task definition has no container "${env.containerName}"` };
      containerPort = container.portMappings?.[0]?.containerPort ?? containerPort;
      const image = await liveImage(session, env, definition);
      if (image.repository !== session.service.repositoryName) return { ok: true, text: `live image ${image.image} is not from ECR (the bootstrap image until the pipeline's first deploy)` };
      return image.digest ? { ok: true, text: `image ${image.repository}:${image.tag ?? ""} exists in ECR (${image.digest})` } : { ok: false, text: `image ${image.image} is not in ECR (expired? ecr.keepTaggedImages)` };
    }),
  );
  if (session.service.watchedImageTag && session.service.repositoryName) results.push(await watchedTag(session, session.service.repositoryName, session.service.watchedImageTag));
  for (const [kind, name] of [["task role", env.taskRoleName], ["execution role", env.executionRoleName]] as const) {
    if (name) results.push(await attempt(`${kind} ${name}`, () => roleTrust(session, kind, name)));
  }
  if (env.logGroupName) results.push(await logGroup(session, env.logGroupName));
  results.push(...([] as CheckResult[]).concat(await attempt(`target groups ${env.targetGroups.map((tg) => tg.name).join(", ")}`, () => targetGroups(session, env, containerPort))));
  const strategy = strategyFor(session, env);
  results.push(await attempt(strategy.wiring, () => strategy.verify()));
  return results;
}

async function watchedTag(session: Session, repositoryName: string, tag: string): Promise<CheckResult> {
  return attempt(`image ${repositoryName}:${tag}`, async () => {
    try {
      await session.clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
      return { ok: true, text: `watched tag ${repositoryName}:${tag} exists in ECR` };
    } catch (error) {
      if ((error as { name?: string }).name === "ImageNotFoundException") return { ok: false, text: `watched tag ${repositoryName}:${tag} is not in ECR yet (push it to start a release)` };
      throw error;
    }
  });
}

async function roleTrust(session: Session, kind: string, name: string): Promise<CheckResult> {
  const role = (await session.clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  const document = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? "{}")) as { Statement?: TrustStatement | TrustStatement[] };
  const statements = ([] as TrustStatement[]).concat(document.Statement ?? []);
  const trusts = statements.some((s) => s.Effect === "Allow" && asList(s.Action).includes("sts:AssumeRole") && asList(s.Principal?.Service).includes(ECS_TASKS));
  return { ok: trusts, text: `${kind} ${name} ${trusts ? "trusts" : "does not trust"} ${ECS_TASKS}` };
}

interface TrustStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Principal?: { readonly Service?: string | string[] };
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : ([] as string[]).concat(value);
}

async function logGroup(session: Session, name: string): Promise<CheckResult> {
  const out = await session.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
  const exists = (out.logGroups ?? []).some((g) => g.logGroupName === name);
  return { ok: exists, text: `log group ${name} ${exists ? "exists" : "does not exist"}` };
}

async function targetGroups(session: Session, env: EnvironmentTarget, containerPort: number): Promise<CheckResult[]> {
  const found = await session.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: env.targetGroups.map((tg) => tg.name) }));
  return env.targetGroups.map((spec) => {
    const tg = found.TargetGroups?.find((g) => g.TargetGroupName === spec.name);
    if (!tg) return { ok: false, text: `target group ${spec.name} does not exist` };
    const problems = [
      tg.Port === containerPort ? "" : `port ${tg.Port} is not the container port ${containerPort}`,
      tg.HealthCheckPort === "traffic-port" || tg.HealthCheckPort === String(containerPort) ? "" : `health-check port ${tg.HealthCheckPort} is not traffic-port or ${containerPort}`,
      spec.healthCheckPath === undefined || tg.HealthCheckPath === spec.healthCheckPath ? "" : `health-check path ${tg.HealthCheckPath} is not ${spec.healthCheckPath}`,
    ].filter(Boolean);
    return problems.length === 0
      ? { ok: true, text: `target group ${spec.name}: port ${containerPort}, health check ${tg.HealthCheckPath} on ${tg.HealthCheckPort}` }
      : { ok: false, text: `target group ${spec.name}: ${problems.join("; ")}` };
  });
}
