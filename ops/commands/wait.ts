/**
 * `bluegreen wait`: follows a CodeDeploy deployment until it ends. On a terminal one line is redrawn in place
 * (traffic bar, step, hooks, alarms); in CI one plain line per change. The exit code says how it ended.
 */
import { alarmStates, DeploymentSnapshot, inFlightDeployment, snapshot } from "../deployments";
import { ExitCode, OpsError } from "../errors";
import { bar, duration, progressFacts, timestamp } from "../format";
import { EnvironmentTarget } from "../project";
import { environments, Session } from "../session";

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

/** The exit code of an ended deployment; undefined while it runs. */
export function outcome(s: DeploymentSnapshot): ExitCode | undefined {
  switch (s.status) {
    case "Succeeded":
      return ExitCode.Ok;
    case "Failed":
      return ExitCode.DeploymentFailed;
    case "Stopped":
      // CodeDeploy stops a deployment itself when an alarm fires, then rolls back: that is a failed release.
      return s.errorCode === "ALARM_ACTIVE" ? ExitCode.DeploymentFailed : ExitCode.DeploymentStopped;
    default:
      return undefined;
  }
}

/** Finds the deployment to follow: the given id, or the one in flight in the environment (or in the only one that has one). */
export async function deploymentToFollow(session: Session, options: WaitOptions): Promise<{ env: EnvironmentTarget; id: string }> {
  const candidates = environments(session, options.env);
  if (options.deployment) return { env: candidates[0], id: options.deployment };
  const { runtime } = session;
  const deadline = runtime.now() + (options.startTimeoutMinutes ?? 0) * 60_000;
  let found = await inFlight(session, candidates);
  while (found.length === 0 && runtime.now() < deadline) {
    await runtime.sleep((options.intervalSeconds ?? 10) * 1000);
    found = await inFlight(session, candidates);
  }
  if (found.length === 0) {
    const where = options.env ? `in ${options.env}` : `in ${candidates.map((e) => e.name).join(", ")}`;
    throw new OpsError(ExitCode.NothingInFlight, `no deployment in flight ${where} (${session.service.stackId}); \`bluegreen status\` shows the last one`);
  }
  if (found.length > 1) {
    throw new OpsError(ExitCode.Usage, `deployments are in flight in ${found.map((f) => f.env.name).join(" and ")}; pick one with --env`);
  }
  return found[0];
}

async function inFlight(session: Session, candidates: readonly EnvironmentTarget[]): Promise<{ env: EnvironmentTarget; id: string }[]> {
  const found: { env: EnvironmentTarget; id: string }[] = [];
  for (const env of candidates) {
    const id = await inFlightDeployment(session, env);
    if (id) found.push({ env, id });
  }
  return found;
}

export async function waitCommand(session: Session, options: WaitOptions): Promise<ExitCode> {
  const { env, id } = await deploymentToFollow(session, options);
  return follow(session, env, id, options);
}

/** Polls until the deployment ends or the timeout passes, printing progress. */
export async function follow(session: Session, env: EnvironmentTarget, id: string, options: WaitOptions): Promise<ExitCode> {
  const { runtime } = session;
  const out = runtime.stdout;
  const live = out.isTTY === true;
  const started = runtime.now();
  const deadline = started + (options.timeoutMinutes ?? 120) * 60_000;
  const label = `${env.name} ${id}`;
  out.write(`following ${label} (${env.deploymentGroupName}); ${live ? "Ctrl-C stops watching, not the deployment" : "one line per change"}\n`);
  let last = "";
  for (;;) {
    const s = await snapshot(session, env, id);
    const facts = progressFacts(s, await alarmStates(session, env));
    if (live) {
      out.write(`\r\x1b[2K${label} ${bar(s.trafficPercent)} ${facts}`.slice(0, (out.columns ?? 200) + 5));
    } else if (facts !== last) {
      out.write(`${timestamp(runtime.now())} ${label} ${facts}\n`);
    }
    last = facts;
    const code = outcome(s);
    if (code !== undefined) {
      if (live) out.write("\n");
      out.write(`${finalLine(label, s, code)} after ${duration(runtime.now() - started)}\n`);
      return code;
    }
    if (runtime.now() >= deadline) {
      if (live) out.write("\n");
      out.write(`${label}: still ${s.status} after ${duration(runtime.now() - started)}; stopped watching (the deployment continues)\n`);
      return ExitCode.TimedOut;
    }
    await runtime.sleep((options.intervalSeconds ?? 10) * 1000);
  }
}

function finalLine(label: string, s: DeploymentSnapshot, code: ExitCode): string {
  const reason = [s.errorCode, s.errorMessage].filter(Boolean).join(": ");
  switch (code) {
    case ExitCode.Ok:
      return `${label}: Succeeded`;
    case ExitCode.DeploymentStopped:
      return `${label}: Stopped${reason ? ` (${reason})` : ""}${s.rollbackMessage ? `; ${s.rollbackMessage}` : ""}`;
    default:
      return `${label}: ${s.status === "Stopped" ? "stopped by an alarm and rolled back" : "Failed"}${reason ? ` (${reason})` : ""}${s.rollbackMessage ? `; ${s.rollbackMessage}` : ""}`;
  }
}
