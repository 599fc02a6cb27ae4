/**
 * What the applied stacks really created, read from Terraform state (`terraform show -json`), and what
 * `bluegreen status` must therefore print for each environment: the names and ports the resources got in the
 * emulated account, not the ones the synthesized JSON asks for.
 */
import { execFileSync } from "node:child_process";

interface StateResource {
  readonly type: string;
  readonly values: Record<string, unknown>;
}

type Values = Record<string, unknown>;
const first = (value: unknown): Values => ((Array.isArray(value) ? value[0] : value) ?? {}) as Values;
const list = (value: unknown): Values[] => (Array.isArray(value) ? value : []) as Values[];

/** Every resource of a stack's state (root module), via `terraform show -json` in its initialized folder. */
export function stateResources(dir: string, terraform: string, env: NodeJS.ProcessEnv): StateResource[] {
  const shown = JSON.parse(execFileSync(terraform, ["show", "-json"], { cwd: dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as {
    values?: { root_module?: { resources?: (StateResource & { mode: string })[] } };
  };
  return (shown.values?.root_module?.resources ?? []).filter((r) => r.mode === "managed");
}

/** The route `bluegreen status` reports for a listener: its port and the target group it forwards to. */
export interface ExpectedRoute {
  readonly port: number;
  readonly targetGroups: readonly { readonly name: string; readonly weight: number }[];
}

export interface ExpectedEnvironment {
  readonly name: string;
  readonly cluster: string;
  readonly service: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly production: ExpectedRoute;
  readonly test: ExpectedRoute;
}

export interface ExpectedStatus {
  readonly pipeline: string;
  readonly stages: readonly string[];
  readonly environments: readonly ExpectedEnvironment[];
}

/** What status must say for the pipeline in `resources` (undefined when the stack has none). */
export function expectedStatus(resources: readonly StateResource[]): ExpectedStatus | undefined {
  const pipeline = resources.find((r) => r.type === "aws_codepipeline");
  if (!pipeline) return undefined;
  const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.values);
  const groups = of("aws_codedeploy_deployment_group");
  const listeners = of("aws_lb_listener");
  const targetGroups = of("aws_lb_target_group");
  const services = of("aws_ecs_service");
  const taskDefinitions = of("aws_ecs_task_definition");
  const stages = list(pipeline.values.stage);
  const route = (listenerArn: unknown): ExpectedRoute => {
    const listener = listeners.find((l) => l.arn === listenerArn);
    if (!listener) throw new Error(`no listener ${String(listenerArn)} in state`);
    const action = first(listener.default_action);
    const arn = action.target_group_arn || first(list(first(action.forward).target_group)[0]).arn;
    const group = targetGroups.find((tg) => tg.arn === arn);
    return { port: Number(listener.port), targetGroups: [{ name: String(group?.name ?? arn), weight: 100 }] };
  };
  const environments = stages
    .filter((stage) => first(stage.action).provider === "CodeDeployToECS")
    .map((stage) => {
      const configuration = first(first(stage.action).configuration);
      const group = groups.find((g) => g.deployment_group_name === configuration.DeploymentGroupName && g.app_name === configuration.ApplicationName);
      if (!group) throw new Error(`stage ${String(stage.name)}: no deployment group ${String(configuration.DeploymentGroupName)} in state`);
      const ecs = first(group.ecs_service);
      const pair = first(first(group.load_balancer_info).target_group_pair_info);
      const service = services.find((s) => s.name === ecs.service_name && String(s.cluster).endsWith(`/${String(ecs.cluster_name)}`));
      const taskDefinition = taskDefinitions.find((t) => t.arn === service?.task_definition || `${String(t.family)}:${String(t.revision)}` === service?.task_definition);
      return {
        name: String(stage.name).replace(/^Deploy-/, ""),
        cluster: String(ecs.cluster_name),
        service: String(ecs.service_name),
        taskDefinition: taskDefinition ? `${String(taskDefinition.family)}:${String(taskDefinition.revision)}` : "?",
        desiredCount: Number(service?.desired_count),
        production: route(list(first(pair.prod_traffic_route).listener_arns)[0]),
        test: route(list(first(pair.test_traffic_route).listener_arns)[0]),
      };
    });
  return { pipeline: String(pipeline.values.name), stages: stages.map((s) => String(s.name)), environments };
}

/** The part of `bluegreen status --json` the run checks. */
export interface StatusJson {
  readonly pipeline: string;
  readonly stages: readonly { readonly stage: string }[];
  readonly environments: readonly {
    readonly name: string;
    readonly taskDefinition?: string;
    readonly desiredCount?: number;
    readonly production?: ExpectedRoute;
    readonly test?: ExpectedRoute;
  }[];
}

/** Every difference between what status printed for one environment and what state says; empty when they agree. */
export function statusDifferences(status: StatusJson, expected: ExpectedStatus, environment: string): string[] {
  const want = expected.environments.find((e) => e.name === environment);
  const got = status.environments.find((e) => e.name === environment);
  if (!want || !got) return [`environment ${environment}: ${want ? "missing from status" : "not in state"}`];
  const differences: string[] = [];
  const compare = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) differences.push(`${environment} ${what}: status says ${JSON.stringify(actual)}, state has ${JSON.stringify(wanted)}`);
  };
  compare("pipeline", status.pipeline, expected.pipeline);
  compare("stages", status.stages.map((s) => s.stage), expected.stages);
  compare("task definition", got.taskDefinition, want.taskDefinition);
  compare("desired count", got.desiredCount, want.desiredCount);
  compare("production route", got.production, want.production);
  compare("test route", got.test, want.test);
  return differences;
}
