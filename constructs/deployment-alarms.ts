import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Construct } from "constructs";
import { BlueGreenLoadBalancer } from "./load-balancer";

export interface DeploymentAlarmsProps {
  /** Prefix of the alarm names (e.g. `demo-prod`). */
  readonly name: string;
  /** The load balancer whose blue and green target groups are watched. */
  readonly loadBalancer: BlueGreenLoadBalancer;
  /**
   * Consecutive one-minute periods the 5xx count must breach before the alarm fires.
   * @default 1 - a burst of errors during a deployment stops it within about a minute
   */
  readonly evaluationPeriods?: number;
  /**
   * Target 5xx responses per minute (per target group) at or above which the deployment is stopped.
   * @default 5
   */
  readonly fiveXxThreshold?: number;
  /**
   * Consecutive one-minute periods with at least one unhealthy target before the alarm fires.
   * @default 2 - a single failed health check while a task starts does not roll back
   */
  readonly unhealthyEvaluationPeriods?: number;
}

/** CloudWatch publishes ALB metrics per minute; shorter periods would only be empty. */
const PERIOD_SECONDS = 60;

/**
 * The alarms CodeDeploy watches during a blue/green deployment (invariant 3): target 5xx responses and
 * unhealthy targets, for BOTH target groups, since either one serves the new version depending on the
 * deployment's parity. An alarm in ALARM stops the deployment and, with auto-rollback, shifts traffic back.
 * The ECS circuit breaker does not apply to the CODE_DEPLOY controller: these alarms are the only automatic stop.
 */
export class DeploymentAlarms extends Construct {
  /** Blue 5xx, blue unhealthy, green 5xx, green unhealthy. */
  public readonly alarms: CloudwatchMetricAlarm[];
  /** Names, for the deployment group's `alarm_configuration`. */
  public readonly alarmNames: string[];

  constructor(scope: Construct, id: string, props: DeploymentAlarmsProps) {
    super(scope, id);
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    const fiveXxThreshold = props.fiveXxThreshold ?? 5;
    const unhealthyEvaluationPeriods = props.unhealthyEvaluationPeriods ?? 2;
    requirePositiveInteger("evaluationPeriods", evaluationPeriods);
    requirePositiveInteger("fiveXxThreshold", fiveXxThreshold);
    requirePositiveInteger("unhealthyEvaluationPeriods", unhealthyEvaluationPeriods);

    const lb = props.loadBalancer;
    const groups: [string, string, LbTargetGroup][] = [
      ["Blue", "blue", lb.blueTargetGroup],
      ["Green", "green", lb.greenTargetGroup],
    ];
    this.alarms = groups.flatMap(([idPart, color, targetGroup]) => {
      const dimensions = { TargetGroup: targetGroup.arnSuffix, LoadBalancer: lb.alb.arnSuffix };
      return [
        new CloudwatchMetricAlarm(this, `${idPart}Target5xx`, {
          alarmName: `${props.name}-${color}-target-5xx`,
          alarmDescription: `Targets in the ${color} target group of ${props.name} answer 5xx; stops and rolls back a deployment`,
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions,
          statistic: "Sum",
          period: PERIOD_SECONDS,
          evaluationPeriods,
          threshold: fiveXxThreshold,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // No requests means no datapoint (the idle target group most of the time): that is not an error.
          treatMissingData: "notBreaching",
        }),
        new CloudwatchMetricAlarm(this, `${idPart}UnhealthyHosts`, {
          alarmName: `${props.name}-${color}-unhealthy-hosts`,
          alarmDescription: `The ${color} target group of ${props.name} has unhealthy targets; stops and rolls back a deployment`,
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions,
          statistic: "Maximum",
          period: PERIOD_SECONDS,
          evaluationPeriods: unhealthyEvaluationPeriods,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // An empty target group (between deployments) publishes nothing; that is healthy.
          treatMissingData: "notBreaching",
        }),
      ];
    });
    this.alarmNames = this.alarms.map((alarm) => alarm.alarmName);
  }
}

function requirePositiveInteger(prop: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`DeploymentAlarms: ${prop} must be a whole number of at least 1 (got ${value})`);
  }
}
