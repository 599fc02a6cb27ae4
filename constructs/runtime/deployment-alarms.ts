import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Construct } from "constructs";
import type { AlarmDescriptor } from "../../synthesized/descriptor";
import { BlueGreenLoadBalancer } from "./blue-green-load-balancer";

export interface DeploymentAlarmsProps {
  /** Prefix of the alarm names (e.g. `demo-prod`). */
  readonly name: string;
  /** The load balancer whose blue and green target groups are watched. */
  readonly loadBalancer: BlueGreenLoadBalancer;
  /**
   * Percentage of a target group's requests answered with a target 5xx, in one minute, at or above which that
   * minute counts as bad.
   * @default 5
   */
  readonly fiveXxRatePercent?: number;
  /**
   * Requests a target group must receive in a minute before its error rate counts: a handful of requests
   * (health checks aside, the smoke test, one user) cannot prove a release bad.
   * @default 10
   */
  readonly minimumRequestsPerMinute?: number;
  /**
   * Bad minutes, out of `evaluationPeriods`, that fire the 5xx alarm.
   * @default 2 - with 60 s periods a bad task set is caught within two minutes, and one bad minute is not enough
   */
  readonly datapointsToAlarm?: number;
  /**
   * One-minute periods the 5xx alarm looks back over.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Consecutive one-minute periods with at least one unhealthy target before the alarm fires.
   * @default 2 - a single failed health check while a task starts does not roll back
   */
  readonly unhealthyEvaluationPeriods?: number;
}

/** CloudWatch publishes ALB metrics per minute; shorter periods would only be empty. */
const PERIOD_SECONDS = 60;

/**
 * The alarms CodeDeploy watches during a blue/green deployment (invariant 3), per target group: the target 5xx
 * RATE and unhealthy targets.
 *
 * Why per target group, and why a rate: CodeDeploy registers the replacement task set in whichever target group
 * is not serving production, so "the new target group" alternates between deployments (blue, then green, then
 * blue). A static alarm cannot know which one is new, so both groups are watched the same way. What keeps the old
 * task set from rolling back a good release is what each alarm measures: errors as a share of that group's own
 * requests (metric math over RequestCount), with a minimum request volume, and 2 bad minutes out of 3. During a
 * canary the old task set serves most requests; the background errors of a busy service (a few per minute) are a
 * tiny share of them and no longer reach a threshold, as an absolute count of 5 per minute did. A new task set
 * that fails a real share of its requests breaches in its first minutes of traffic and fires after the second.
 * An old task set that is itself failing at the threshold rate still stops the deployment: the alarm cannot tell
 * it apart, and CodeDeploy then keeps the (already broken) original. The ECS circuit breaker does not apply to the
 * CODE_DEPLOY controller: these alarms are the only automatic stop.
 */
export class DeploymentAlarms extends Construct {
  /** Blue 5xx rate, blue unhealthy, green 5xx rate, green unhealthy. */
  public readonly alarms: CloudwatchMetricAlarm[];
  /** Names, for the deployment group's `alarm_configuration`. */
  public readonly alarmNames: string[];
  /** Literal names and how fast each fires (for the stack's descriptor). */
  public readonly descriptors: AlarmDescriptor[];

  constructor(scope: Construct, id: string, props: DeploymentAlarmsProps) {
    super(scope, id);
    const fiveXxRatePercent = props.fiveXxRatePercent ?? 5;
    const minimumRequestsPerMinute = props.minimumRequestsPerMinute ?? 10;
    const datapointsToAlarm = props.datapointsToAlarm ?? 2;
    const evaluationPeriods = props.evaluationPeriods ?? 3;
    const unhealthyEvaluationPeriods = props.unhealthyEvaluationPeriods ?? 2;
    requirePositiveInteger("minimumRequestsPerMinute", minimumRequestsPerMinute);
    requirePositiveInteger("datapointsToAlarm", datapointsToAlarm);
    requirePositiveInteger("evaluationPeriods", evaluationPeriods);
    requirePositiveInteger("unhealthyEvaluationPeriods", unhealthyEvaluationPeriods);
    if (!(fiveXxRatePercent > 0 && fiveXxRatePercent <= 100)) {
      throw new Error(`DeploymentAlarms: fiveXxRatePercent must be more than 0 and at most 100 (got ${fiveXxRatePercent})`);
    }
    if (datapointsToAlarm > evaluationPeriods) {
      throw new Error(`DeploymentAlarms: datapointsToAlarm must be at most evaluationPeriods (${evaluationPeriods}) (got ${datapointsToAlarm})`);
    }

    const lb = props.loadBalancer;
    const groups: [string, string, LbTargetGroup][] = [
      ["Blue", "blue", lb.blueTargetGroup],
      ["Green", "green", lb.greenTargetGroup],
    ];
    const metric = (metricName: string, dimensions: Record<string, string>) => ({
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions,
      period: PERIOD_SECONDS,
      stat: "Sum",
    });
    this.alarms = groups.flatMap(([idPart, color, targetGroup]) => {
      const dimensions = { TargetGroup: targetGroup.arnSuffix, LoadBalancer: lb.alb.arnSuffix };
      return [
        new CloudwatchMetricAlarm(this, `${idPart}Target5xx`, {
          alarmName: `${props.name}-${color}-target-5xx`,
          alarmDescription: `Targets in the ${color} target group of ${props.name} answer at least ${fiveXxRatePercent}% of requests with 5xx; stops and rolls back a deployment`,
          metricQuery: [
            { id: "errors", metric: metric("HTTPCode_Target_5XX_Count", dimensions) },
            { id: "requests", metric: metric("RequestCount", dimensions) },
            {
              id: "rate",
              label: "Target 5xx, % of requests",
              // No errors in a minute means no datapoint: FILL makes it 0. Below the minimum volume the rate is 0.
              expression: `IF(requests >= ${minimumRequestsPerMinute}, 100 * FILL(errors, 0) / requests, 0)`,
              returnData: true,
            },
          ],
          evaluationPeriods,
          datapointsToAlarm,
          threshold: fiveXxRatePercent,
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
    this.descriptors = groups.flatMap(([, color]) => [
      { name: `${props.name}-${color}-target-5xx`, secondsToAlarm: PERIOD_SECONDS * datapointsToAlarm },
      { name: `${props.name}-${color}-unhealthy-hosts`, secondsToAlarm: PERIOD_SECONDS * unhealthyEvaluationPeriods },
    ]);
  }
}

function requirePositiveInteger(prop: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`DeploymentAlarms: ${prop} must be a whole number of at least 1 (got ${value})`);
  }
}
