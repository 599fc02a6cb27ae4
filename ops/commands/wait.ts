/**
 * `bluegreen wait`: follows a deployment (CodeDeploy's, or an ECS service deployment) until it ends. On a terminal
 * one line is redrawn in place (traffic bar, step, hooks, alarms); in CI one plain line per change. The exit code
 * says how it ended: 0 succeeded, 3 failed or rolled back, 4 stopped by someone, 5 timed out.
 */
import { ExitCode, OpsError } from "../errors";
import { bar, duration, progressFacts, timestamp } from "../format";
import { EnvironmentTarget } from "../project";
import { environments, Session } from "../session";
import { strategyFor } from "../strategies/select";
import { EnvironmentStrategy, Followed } from "../strategies/strategy";

export interface WaitOptions {
  readonly env?: string;
  readonly deployment?: string;
  /** Give up after this many minutes (the deployment keeps running). @default 120 */
  readonly timeoutMinutes?: number;
  /** Seconds between polls. @default 10 */
  readonly intervalSeconds?: number;
  /** When nothing is in flight yet (a release still building), keep looking this many minutes. @default 0 */
  readonly startTimeoutMinutes?: number;
}

interface Found {
  readonly env: EnvironmentTarget;
  readonly strategy: EnvironmentStrategy;
  readonly id: string;
}

/** Finds the deployment to follow: the given id, or the one in flight in the environment (or in the only one that has one). */
export async function deploymentToFollow(session: Session, options: WaitOptions): Promise<Found> {
  const candidates = environments(session, options.env).map((env) => ({ env, strategy: strategyFor(session, env) }));
  if (options.deployment) return { ...candidates[0], id: options.deployment };
  const { runtime } = session;
  const deadline = runtime.now() + (options.startTimeoutMinutes ?? 0) * 60_000;
  let found = await inFlight(candidates);
  while (found.length === 0 && runtime.now() < deadline) {
    await runtime.sleep((options.intervalSeconds ?? 10) * 1000);
    found = await inFlight(candidates);
  }
  if (found.length === 0) {
    const where = options.env ? `in ${options.env}` : `in ${candidates.map((c) => c.env.name).join(", ")}`;
    throw new OpsError(ExitCode.NothingInFlight, `no deployment in flight ${where} (${session.service.stackId}); \`bluegreen status\` shows the last one`);
  }
  if (found.length > 1) {
    throw new OpsError(ExitCode.Usage, `deployments are in flight in ${found.map((f) => f.env.name).join(" and ")}; pick one with --env`);
  }
  return found[0];
}

async function inFlight(candidates: readonly Omit<Found, "id">[]): Promise<Found[]> {
  const found: Found[] = [];
  for (const candidate of candidates) {
    const id = await candidate.strategy.inFlight();
    if (id) found.push({ ...candidate, id });
  }
  return found;
}

export async function waitCommand(session: Session, options: WaitOptions): Promise<ExitCode> {
  const { env, strategy, id } = await deploymentToFollow(session, options);
  return follow(session, env, strategy, strategy.follow(id), options);
}

/** Polls until the deployment ends or the timeout passes, printing progress. */
export async function follow(session: Session, env: EnvironmentTarget, strategy: EnvironmentStrategy, followed: Followed, options: WaitOptions): Promise<ExitCode> {
  const { runtime } = session;
  const out = runtime.stdout;
  const live = out.isTTY === true;
  const started = runtime.now();
  const deadline = started + (options.timeoutMinutes ?? 120) * 60_000;
  const label = `${env.name} ${followed.id}`;
  out.write(`following ${label} (${strategy.deployer}); ${live ? "Ctrl-C stops watching, not the deployment" : "one line per change"}\n`);
  let last = "";
  for (;;) {
    const { snapshot: s, alarms, ended } = await followed.look();
    const facts = progressFacts(s, alarms);
    if (live) {
      out.write(`\r\x1b[2K${label} ${bar(s.trafficPercent)} ${facts}`.slice(0, (out.columns ?? 200) + 5));
    } else if (facts !== last) {
      out.write(`${timestamp(runtime.now())} ${label} ${facts}\n`);
    }
    last = facts;
    if (ended) {
      if (live) out.write("\n");
      out.write(`${label}: ${ended.summary} after ${duration(runtime.now() - started)}\n`);
      return ended.code;
    }
    if (runtime.now() >= deadline) {
      if (live) out.write("\n");
      out.write(`${label}: still ${s.status} after ${duration(runtime.now() - started)}; stopped watching (the deployment continues)\n`);
      return ExitCode.TimedOut;
    }
    await runtime.sleep((options.intervalSeconds ?? 10) * 1000);
  }
}
