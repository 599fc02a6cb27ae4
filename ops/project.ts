/**
 * What the operations commands act on, read from the synthesized stacks: per service (one, or each fleet service)
 * the pipeline, the ECR repository, and per environment the CodeDeploy application and group, the ECS cluster and
 * service, the task definition family, roles and log group, the target groups, listener ports and alarms.
 * Environments come from the pipeline's `Deploy-<env>` stages (their order is the release order).
 */
import { Block, blocks, firstBlock, isBlock, renderTargetsOf, stringOf } from "../scripts/timeline/terraform-json";
import { ExitCode, OpsError } from "./errors";
import { FoundResource, SynthesizedApp, SynthesizedStack } from "./synthesized";

/** A CodeDeploy lifecycle hook of the appspec the pipeline deploys with. */
export interface Hook {
  readonly lifecycleEvent: string;
  readonly functionName: string;
}

export interface EnvironmentTarget {
  readonly name: string;
  /** Pipeline stage that deploys it (`Deploy-<env>`) and its action. */
  readonly deployStage: string;
  readonly deployAction: string;
  /** Manual approval stage before it (`Approve-<env>`), if any. */
  readonly approval?: { readonly stage: string; readonly action: string };
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly family: string;
  readonly taskRoleName?: string;
  readonly executionRoleName?: string;
  readonly logGroupName?: string;
  /** Blue then green, by name. */
  readonly targetGroups: readonly TargetGroupSpec[];
  readonly prodListenerPort?: number;
  readonly testListenerPort?: number;
  readonly loadBalancerName?: string;
  readonly alarmNames: readonly string[];
  readonly hooks: readonly Hook[];
}

export interface TargetGroupSpec {
  readonly name: string;
  readonly port?: number;
  readonly healthCheckPath?: string;
  readonly healthCheckPort?: string;
}

export interface ServiceTarget {
  /** The AWS stack id (`<project>` or `<project>-<service>`). */
  readonly stackId: string;
  /** Fleet service name; undefined in single-service mode. */
  readonly service?: string;
  readonly region: string;
  readonly pipelineName: string;
  readonly repositoryName?: string;
  /** imageSource ecr: the tag whose push starts the pipeline. */
  readonly watchedImageTag?: string;
  readonly environments: readonly EnvironmentTarget[];
}

export interface ProjectTargets {
  readonly project: string;
  readonly region: string;
  /** The account literal ARNs in the synthesized stacks belong to, when exactly one appears. */
  readonly account?: string;
  readonly services: readonly ServiceTarget[];
  /** Names of the GitHub OIDC plan and deploy roles, for access-denied advice. */
  readonly planRole?: string;
  readonly deployRole?: string;
}

/** Reads every service's targets; `services` lists fleet service names (empty in single-service mode). */
export function readProject(app: SynthesizedApp, project: string, services: readonly string[]): ProjectTargets {
  const ids = services.length > 0 ? services.map((name) => `${project}-${name}`) : [project];
  const targets = ids.map((id, i) => {
    const stack = app.stack(id);
    if (!stack) throw new OpsError(ExitCode.Usage, `the synthesized stacks have no stack "${id}" (run \`npm run synth\` with this config)`);
    return readService(app, stack, services[i]);
  });
  const roles = app.stacks.flatMap((stack) => app.resources(stack, "aws_iam_role"));
  const roleName = (suffix: string) => stringOf(roles.find((r) => new RegExp(`/GithubOidc/${suffix}(/|$)`).test(metadataPath(r.block)))?.block.name);
  return {
    project,
    region: targets[0].region,
    account: accountOf(app),
    services: targets,
    planRole: roleName("PlanRole"),
    deployRole: roleName("DeployRole"),
  };
}

function readService(app: SynthesizedApp, stack: SynthesizedStack, service: string | undefined): ServiceTarget {
  const region = app.region(stack);
  const pipeline = app.resources(stack, "aws_codepipeline")[0];
  const pipelineName = pipeline && stringOf(pipeline.block.name);
  if (!region || !pipeline || !pipelineName) throw new OpsError(ExitCode.Usage, `stack "${stack.id}" has no AWS region or pipeline in cdktf.out`);
  const stages = blocks(pipeline.block.stage);
  const actions = stages.flatMap((stage) => blocks(stage.action));
  const ecrSource = actions.find((action) => action.provider === "ECR");
  const environments = stages
    .map((stage) => ({ stage, action: firstBlock(stage.action) }))
    .filter(({ action }) => action?.provider === "CodeDeployToECS")
    .map(({ stage, action }) => readEnvironment(app, stack, stringOf(stage.name) ?? "", action as Block, stages));
  const repository = app.resources(stack, "aws_ecr_repository")[0];
  return {
    stackId: stack.id,
    service,
    region,
    pipelineName,
    repositoryName: repository ? stringOf(repository.block.name) : undefined,
    watchedImageTag: ecrSource ? stringOf(firstBlock(ecrSource.configuration)?.ImageTag) : undefined,
    environments,
  };
}

function readEnvironment(app: SynthesizedApp, stack: SynthesizedStack, stageName: string, action: Block, stages: readonly Block[]): EnvironmentTarget {
  const name = stageName.replace(/^Deploy-/, "");
  const config = firstBlock(action.configuration) ?? {};
  const groupName = app.literal(stack, config.DeploymentGroupName, "deployment_group_name");
  const group =
    app.resourceOf(stack, config.DeploymentGroupName) ??
    app.resources(stack, "aws_codedeploy_deployment_group").find((g) => g.block.deployment_group_name === groupName);
  const applicationName = app.literal(stack, config.ApplicationName, "name");
  if (!group || !groupName || !applicationName) {
    throw new OpsError(ExitCode.Usage, `stage ${stageName} of stack "${stack.id}": cannot resolve its CodeDeploy application or deployment group`);
  }
  const ecsService = firstBlock(group.block.ecs_service) ?? {};
  const serviceResource = app.resourceOf(stack, ecsService.service_name);
  const loadBalancer = firstBlock(serviceResource?.block.load_balancer) ?? {};
  const taskDefinition = app.resourceOf(stack, serviceResource?.block.task_definition);
  const containerName = stringOf(loadBalancer.container_name) ?? "";
  const pair = firstBlock(firstBlock(group.block.load_balancer_info)?.target_group_pair_info) ?? {};
  const listener = (route: unknown) => app.resourceOf(stack, firstListenerArn(route));
  const prodListener = listener(pair.prod_traffic_route);
  const approvalStage = stages.find((stage) => stage.name === `Approve-${name}`);
  return {
    name,
    deployStage: stageName,
    deployAction: stringOf(action.name) ?? "",
    approval: approvalStage ? { stage: `Approve-${name}`, action: stringOf(firstBlock(approvalStage.action)?.name) ?? "" } : undefined,
    applicationName,
    deploymentGroupName: groupName,
    clusterName: app.literal(stack, ecsService.cluster_name, "name") ?? "",
    serviceName: app.literal(stack, ecsService.service_name, "name") ?? "",
    containerName,
    containerPort: Number(loadBalancer.container_port),
    family: stringOf(taskDefinition?.block.family) ?? "",
    taskRoleName: app.literal(stack, taskDefinition?.block.task_role_arn, "name"),
    executionRoleName: app.literal(stack, taskDefinition?.block.execution_role_arn, "name"),
    logGroupName: taskDefinition ? logGroupOf(app, taskDefinition, containerName) : undefined,
    targetGroups: blocks(pair.target_group).map((tg) => targetGroupSpec(app, stack, tg.name)),
    prodListenerPort: portOf(prodListener),
    testListenerPort: portOf(listener(pair.test_traffic_route)),
    loadBalancerName: prodListener ? app.literal(stack, prodListener.block.load_balancer_arn, "name") : undefined,
    alarmNames: ([] as unknown[])
      .concat(firstBlock(group.block.alarm_configuration)?.alarms ?? [])
      .map((alarm) => app.literal(stack, alarm, "alarm_name"))
      .filter((alarm): alarm is string => alarm !== undefined),
    hooks: hooksOf(app, stack, name),
  };
}

function firstListenerArn(route: unknown): unknown {
  const arns = firstBlock(route)?.listener_arns;
  return Array.isArray(arns) ? arns[0] : undefined;
}

function portOf(listener: FoundResource | undefined): number | undefined {
  const port = listener?.block.port;
  return port === undefined ? undefined : Number(port);
}

function targetGroupSpec(app: SynthesizedApp, stack: SynthesizedStack, value: unknown): TargetGroupSpec {
  const found = app.resourceOf(stack, value);
  const health = firstBlock(found?.block.health_check) ?? {};
  return {
    name: app.literal(stack, value, "name") ?? String(value),
    port: found?.block.port === undefined ? undefined : Number(found.block.port),
    healthCheckPath: stringOf(health.path),
    healthCheckPort: health.port === undefined ? undefined : String(health.port),
  };
}

/** The awslogs group of the application container (the definitions are a JSON string with embedded references). */
function logGroupOf(app: SynthesizedApp, taskDefinition: FoundResource, containerName: string): string | undefined {
  const text = stringOf(taskDefinition.block.container_definitions);
  if (!text) return undefined;
  const containers = JSON.parse(app.interpolate(taskDefinition.stack, text)) as { name?: string; logConfiguration?: { options?: Record<string, string> } }[];
  const group = containers.find((c) => c.name === containerName)?.logConfiguration?.options?.["awslogs-group"];
  return group && !group.includes("${") ? group : undefined;
}

/**
 * The appspec hooks the pipeline deploys this environment with: from the build's DEPLOY_TARGETS (codebuild mode),
 * else from the committed `appspec-<env>.yaml` of the GitHub stacks (ecr mode).
 */
function hooksOf(app: SynthesizedApp, stack: SynthesizedStack, environment: string): Hook[] {
  for (const project of app.resources(stack, "aws_codebuild_project")) {
    const targets = renderTargetsOf(project.block);
    if (!targets) continue;
    const hooks = targets.find((t) => t.environmentName === environment)?.hooks ?? [];
    return hooks.map((h) => ({ lifecycleEvent: String(h.lifecycleEvent), functionName: app.literal(stack, h.functionName, "function_name") ?? String(h.functionName) }));
  }
  const files = app.stacks.filter((s) => s.id === `${stack.id}-github` || s.id.startsWith(`${stack.id}-github`)).flatMap((s) => app.resources(s, "github_repository_file"));
  const appspec = files.find((file) => stringOf(file.block.file)?.endsWith(`appspec-${environment}.yaml`));
  const content = stringOf(appspec?.block.content) ?? "";
  return [...content.matchAll(/^ {2}- ([A-Za-z]+): "([^"]+)"$/gm)].map((m) => ({ lifecycleEvent: m[1], functionName: m[2] }));
}

function metadataPath(block: Block): string {
  const meta = block["//"];
  const inner = isBlock(meta) && isBlock(meta.metadata) ? meta.metadata.path : undefined;
  return typeof inner === "string" ? inner : "";
}

/** The one account id in literal ARNs of the stacks (AWS-managed ARNs aside), if there is exactly one. */
function accountOf(app: SynthesizedApp): string | undefined {
  const accounts = new Set<string>();
  for (const stack of app.stacks) {
    for (const m of JSON.stringify(stack.json).matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)) accounts.add(m[1]);
  }
  return accounts.size === 1 ? [...accounts][0] : undefined;
}
