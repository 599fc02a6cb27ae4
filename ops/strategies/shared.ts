/** Reads both strategies share: the environment's alarms, and who a forward action sends traffic to. */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EnvironmentTarget } from "../project";
import { Session } from "../session";
import { AlarmState, RouteStatus } from "./strategy";

/** The state of each of the environment's alarms (CloudWatch). */
export async function alarmStates(session: Session, env: EnvironmentTarget): Promise<AlarmState[]> {
  if (env.alarms.length === 0) return [];
  const out = await session.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: env.alarms.map((alarm) => alarm.name), MaxRecords: 100 }));
  return (out.MetricAlarms ?? []).map((alarm) => ({ name: alarm.AlarmName ?? "", state: alarm.StateValue ?? "INSUFFICIENT_DATA" }));
}

/** The name inside `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`. */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

/** The target groups a listener's or rule's forward action serves, with their share; weight-0 groups left out. */
export function forwardRoute(actions: readonly Action[] | undefined, port: number | undefined): RouteStatus {
  const forward = actions?.find((a) => a.Type === "forward");
  const weighted = forward?.ForwardConfig?.TargetGroups?.map((tg) => ({ arn: tg.TargetGroupArn ?? "", weight: tg.Weight ?? 0 }));
  const groups = weighted && weighted.length > 0 ? weighted : [{ arn: forward?.TargetGroupArn ?? "", weight: 100 }];
  // CodeDeploy leaves a weighted forward behind (new 100, old 0), ECS a rule weighted the same: report who gets traffic.
  const total = groups.reduce((sum, g) => sum + g.weight, 0) || 1;
  return {
    port,
    targetGroups: groups.filter((g) => g.weight > 0).map((g) => ({ name: targetGroupName(g.arn), weight: Math.round((g.weight / total) * 100) })),
  };
}
