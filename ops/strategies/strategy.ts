/**
 * The seam between the commands and the deploy strategies: what `status`, `wait`, `stop`, `rollback` and `verify`
 * need from whoever deploys an environment (a CodeDeploy deployment group, or ECS itself with its service
 * deployments). One implementation per strategy (./codedeploy.ts, ./ecs.ts), chosen by `strategy.kind` in
 * ./select.ts only; the commands never ask which one they hold.
 */
import { ExitCode } from "../errors";

export interface HookResult {
  /** The lifecycle event (CodeDeploy) or stage (ECS) the hook runs at. */
  readonly event: string;
  readonly status: string;
}

export interface AlarmState {
  readonly name: string;
  readonly state: string;
}

/** One look at a deployment, in the same words for every strategy. */
export interface DeploymentSnapshot {
  /** The id the user types for `--deployment` (CodeDeploy `d-...`, the ECS service deployment's id). */
  readonly id: string;
  /** The strategy's own status word (`InProgress`, `IN_PROGRESS`, `ROLLBACK_SUCCESSFUL`, ...). */
  readonly status: string;
  /** Share of production traffic on the new revision, 0-100; undefined before it exists. */
  readonly trafficPercent?: number;
  /** The lifecycle event or stage in progress, or the last one that ran. */
  readonly step?: string;
  readonly hooks: readonly HookResult[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Set when the deployment was (or is being) rolled back. */
  readonly rollbackMessage?: string;
  readonly createTime?: Date;
  readonly completeTime?: Date;
}

/** A look at a followed deployment: the facts, the alarms, and once it ended its exit code and last words. */
export interface Look {
  readonly snapshot: DeploymentSnapshot;
  readonly alarms: readonly AlarmState[];
  readonly ended?: { readonly code: ExitCode; readonly summary: string };
}

/** A deployment being followed (`wait`, `rollback`). */
export interface Followed {
  readonly id: string;
  look(): Promise<Look>;
}

/** A change a command asks before making: what it will do (said first), then doing it. */
export interface ChangePlan<T> {
  readonly description: string;
  apply(): Promise<T>;
}

export interface RouteStatus {
  readonly port?: number;
  /** Target group name and weight, e.g. `{ name: "demo-prod-green", weight: 100 }`. */
  readonly targetGroups: readonly { readonly name: string; readonly weight: number }[];
}

/** What the strategy adds to `status`: who gets traffic, the deployment in flight or the last one. */
export interface StrategyStatus {
  readonly production?: RouteStatus;
  readonly test?: RouteStatus;
  readonly deployment?: DeploymentSnapshot;
  readonly lastDeployment?: { readonly id: string; readonly status: string; readonly endTime?: Date };
}

export interface CheckResult {
  readonly ok: boolean;
  readonly text: string;
}

/** How one environment is deployed, as the commands use it. */
export interface EnvironmentStrategy {
  /** What deploys the environment, for progress lines: the deployment group, or the ECS service. */
  readonly deployer: string;
  /** The deployment in flight, if any. */
  inFlight(): Promise<string | undefined>;
  /** Follows a deployment of this environment: `wait`'s exit codes (0 succeeded, 3 failed or rolled back, 4 stopped). */
  follow(id: string): Followed;
  /** Who gets production and test traffic; the deployment in flight or the last one. */
  status(): Promise<StrategyStatus>;
  /** Stops deployment `id`, rolling back unless `rollback` is false (refused where the strategy cannot). */
  planStop(id: string, rollback: boolean): ChangePlan<string>;
  /** Goes back to the previous revision and returns the deployment that does it. */
  planRollback(): Promise<ChangePlan<Followed>>;
  /** What `verify` calls that check (`deployment group`, `ECS blue/green`). */
  readonly wiring: string;
  /** `verify`'s check of the deployment machinery: the group's or the service's wiring to target groups and listeners. */
  verify(): Promise<CheckResult>;
}
