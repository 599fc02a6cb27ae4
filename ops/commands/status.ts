/**
 * `bluegreen status`: per environment the live image (tag, digest) and task-definition revision, which target
 * group serves production and test traffic, the deployment in flight (status, traffic, step, hooks), and the
 * pipeline's latest execution per stage. One screen, or `--json`.
 */
import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { describeTaskDefinition, LiveImage, liveImage, liveService, shortTaskDefinition } from "../ecs";
import { ExitCode } from "../errors";
import { columns, hooksText, timestamp } from "../format";
import { EnvironmentTarget } from "../project";
import { environments, Session } from "../session";
import { environmentUrl } from "../url";
import { strategyFor } from "../strategies/select";
import { DeploymentSnapshot, RouteStatus } from "../strategies/strategy";

export type { RouteStatus } from "../strategies/strategy";

export interface EnvironmentStatus {
  readonly name: string;
  /** Where production traffic reaches the environment (ops/url.ts). */
  readonly url?: string;
  /** Who deploys it: CodeDeploy or ECS. */
  readonly strategy: "codedeploy" | "ecs";
  readonly taskDefinition?: string;
  readonly image?: LiveImage;
  readonly runningCount?: number;
  readonly desiredCount?: number;
  readonly production?: RouteStatus;
  readonly test?: RouteStatus;
  readonly deployment?: DeploymentSnapshot;
  readonly lastDeployment?: { readonly id: string; readonly status: string; readonly endTime?: Date };
}

export interface StageStatus {
  readonly stage: string;
  readonly status: string;
  readonly executionId?: string;
  readonly summary?: string;
}

export interface StatusReport {
  readonly stack: string;
  readonly region: string;
  readonly account: string;
  readonly pipeline: string;
  readonly environments: readonly EnvironmentStatus[];
  readonly stages: readonly StageStatus[];
}

export async function statusReport(session: Session, envName: string | undefined): Promise<StatusReport> {
  const envs = environments(session, envName);
  const result: EnvironmentStatus[] = [];
  for (const env of envs) result.push(await environmentStatus(session, env));
  return {
    stack: session.service.stackId,
    region: session.service.region,
    account: session.account,
    pipeline: session.service.pipelineName,
    environments: result,
    stages: await pipelineStages(session),
  };
}

export async function statusCommand(session: Session, options: { readonly env?: string; readonly json?: boolean }): Promise<ExitCode> {
  const report = await statusReport(session, options.env);
  session.runtime.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
  return ExitCode.Ok;
}

async function environmentStatus(session: Session, env: EnvironmentTarget): Promise<EnvironmentStatus> {
  const { service, taskDefinition } = await liveService(session, env);
  const deployed = await strategyFor(session, env).status();
  return {
    name: env.name,
    url: await environmentUrl(session, env),
    strategy: env.strategy.kind,
    taskDefinition: taskDefinition ? shortTaskDefinition(taskDefinition) : undefined,
    image: taskDefinition ? await liveImage(session, env, await describeTaskDefinition(session, taskDefinition)) : undefined,
    runningCount: service.runningCount,
    desiredCount: service.desiredCount,
    ...deployed,
  };
}

async function pipelineStages(session: Session): Promise<StageStatus[]> {
  const out = await session.clients.codepipeline.send(new GetPipelineStateCommand({ name: session.service.pipelineName }));
  return (out.stageStates ?? []).map((stage) => {
    const summaries = (stage.actionStates ?? []).map((a) => a.latestExecution?.summary).filter((s): s is string => Boolean(s));
    return {
      stage: stage.stageName ?? "",
      status: stage.latestExecution?.status ?? "-",
      executionId: stage.latestExecution?.pipelineExecutionId,
      summary: summaries[0],
    };
  });
}

function routeText(route: RouteStatus | undefined): string {
  if (!route) return "-";
  return `:${route.port ?? "?"} -> ${route.targetGroups.map((tg) => `${tg.name}${tg.weight === 100 ? "" : ` ${tg.weight}%`}`).join(", ") || "none"}`;
}

function deploymentText(env: EnvironmentStatus): string {
  const d = env.deployment;
  if (d) return `${d.id} ${d.status} · traffic ${d.trafficPercent ?? "-"}% · step ${d.step ?? "-"} · hooks ${hooksText(d)}`;
  const last = env.lastDeployment;
  return last ? `none in flight (last ${last.id} ${last.status} ${timestamp(last.endTime)})` : "none yet";
}

/** The plain-text screen (the same on a terminal and in CI logs or a job summary's code block). */
export function renderStatus(report: StatusReport): string {
  const lines = [`${report.stack} · ${report.region} · account ${report.account}`, ""];
  for (const env of report.environments) {
    const image = env.image ? `${env.image.tag ? `${env.image.repository}:${env.image.tag}` : env.image.image}${env.image.digest ? ` (${env.image.digest})` : ""}` : "-";
    lines.push(
      env.name,
      ...columns([
        ["url", env.url ?? "-"],
        ["image", image],
        ["task def", `${env.taskDefinition ?? "-"} · ${env.runningCount ?? "?"}/${env.desiredCount ?? "?"} tasks running`],
        ["production", routeText(env.production)],
        ["test", routeText(env.test)],
        ["deployment", deploymentText(env)],
      ]),
      "",
    );
  }
  const note = (s: StageStatus) => (s.stage.startsWith("Approve-") && s.status === "InProgress" ? `waiting: npx bluegreen approve --env ${s.stage.slice("Approve-".length)}` : (s.summary ?? ""));
  lines.push(`pipeline ${report.pipeline}`, ...columns(report.stages.map((s) => [s.stage, s.status, note(s)])), "");
  return `${lines.join("\n")}`;
}
