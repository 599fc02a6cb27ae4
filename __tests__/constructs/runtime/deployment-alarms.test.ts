import { DeploymentAlarms, DeploymentAlarmsProps } from "../../../constructs/runtime/deployment-alarms";
import { NAME, TerraformJson, byPath, runtimeStack, synth } from "../../helpers/codedeploy-runtime";

const BLUE = "${aws_lb_target_group.LoadBalancer_BlueTargetGroup_B192E3CD.arn_suffix}";
const GREEN = "${aws_lb_target_group.LoadBalancer_GreenTargetGroup_1307B10F.arn_suffix}";
const ALB = "${aws_lb.LoadBalancer_Alb_72D76F81.arn_suffix}";

function build(props: Partial<DeploymentAlarmsProps> = {}) {
  const { stack, loadBalancer } = runtimeStack();
  const alarms = new DeploymentAlarms(stack, "Alarms", { name: NAME, loadBalancer, ...props });
  return { stack, alarms };
}

function synthAlarms(props: Partial<DeploymentAlarmsProps> = {}): TerraformJson {
  return synth(build(props).stack);
}

type Alarm = TerraformJson["resource"][string][string] & Record<string, unknown>;
type Query = { id: string; expression?: string; return_data?: boolean; metric?: Record<string, unknown> };

/**
 * CloudWatch's M-out-of-N evaluation of a synthesized 5xx alarm over per-minute (requests, errors) samples, with
 * the alarm's own expression parameters: returns the minute (1-based) the alarm fires, or undefined.
 */
function firesAtMinute(alarm: Alarm, minutes: readonly { requests: number; errors: number }[]): number | undefined {
  const rate = (alarm.metric_query as Query[]).find((q) => q.return_data) as Query;
  const match = /^IF\(requests >= (\d+), 100 \* FILL\(errors, 0\) \/ requests, 0\)$/.exec(rate.expression ?? "");
  if (!match) throw new Error(`unexpected expression ${rate.expression}`);
  const minimum = Number(match[1]);
  const breaching = minutes.map(({ requests, errors }) => (requests >= minimum ? (100 * errors) / requests : 0) >= (alarm.threshold as number));
  for (let minute = 1; minute <= breaching.length; minute++) {
    const window = breaching.slice(Math.max(0, minute - (alarm.evaluation_periods as number)), minute);
    if (window.filter(Boolean).length >= (alarm.datapoints_to_alarm as number)) return minute;
  }
  return undefined;
}

describe("DeploymentAlarms (invariant 3: alarms on both target groups)", () => {
  test("creates four alarms: 5xx rate and unhealthy hosts, for blue and for green", () => {
    const json = synthAlarms();
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Alarm[];
    const targetGroupOf = (a: Alarm) =>
      a.metric_name ? (a.dimensions as Record<string, string>).TargetGroup : ((a.metric_query as Query[])[0].metric?.dimensions as Record<string, string>).TargetGroup;
    expect(alarms.map((a) => [a.metric_name ?? "5xx rate", targetGroupOf(a)])).toEqual([
      ["5xx rate", BLUE],
      ["UnHealthyHostCount", BLUE],
      ["5xx rate", GREEN],
      ["UnHealthyHostCount", GREEN],
    ]);
  });

  test("exposes the alarm names for the deployment group, in the same order", () => {
    const { stack, alarms } = build();
    expect(alarms.alarms).toHaveLength(4);
    const resolved = synth(stack).resource.aws_cloudwatch_metric_alarm;
    expect(Object.values(resolved).map((a) => a.alarm_name)).toEqual([
      `${NAME}-blue-target-5xx`,
      `${NAME}-blue-unhealthy-hosts`,
      `${NAME}-green-target-5xx`,
      `${NAME}-green-unhealthy-hosts`,
    ]);
    expect(alarms.alarmNames).toHaveLength(4);
  });

  test("alarms on the target 5xx share of the group's own requests: at least 5% in 2 of 3 minutes, from 10 requests a minute", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/GreenTarget5xx");
    const metric = (name: string) => ({
      namespace: "AWS/ApplicationELB",
      metric_name: name,
      dimensions: { TargetGroup: GREEN, LoadBalancer: ALB },
      period: 60,
      stat: "Sum",
    });
    expect(alarm).toMatchObject({
      metric_query: [
        { id: "errors", metric: metric("HTTPCode_Target_5XX_Count") },
        { id: "requests", metric: metric("RequestCount") },
        { id: "rate", expression: "IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)", return_data: true },
      ],
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
      threshold: 5,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
    expect(alarm).not.toHaveProperty("metric_name");
  });

  test("catches a bad new task set within two minutes of its first traffic (canary 20% of 1000 requests a minute)", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/GreenTarget5xx") as Alarm;
    // The new task set fails a quarter of its requests from its first minute of traffic.
    expect(firesAtMinute(alarm, [{ requests: 200, errors: 50 }, { requests: 200, errors: 50 }, { requests: 200, errors: 50 }])).toBe(2);
  });

  test("does not roll back a good release for the old task set's background errors (8 errors a minute of 800 requests)", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/BlueTarget5xx") as Alarm;
    const old = Array.from({ length: 10 }, () => ({ requests: 800, errors: 8 }));
    expect(firesAtMinute(alarm, old)).toBeUndefined();
  });

  test("does not fire for one bad minute, nor for a handful of requests", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/BlueTarget5xx") as Alarm;
    expect(firesAtMinute(alarm, [{ requests: 500, errors: 100 }, { requests: 500, errors: 0 }, { requests: 500, errors: 0 }])).toBeUndefined();
    expect(firesAtMinute(alarm, [{ requests: 4, errors: 4 }, { requests: 4, errors: 4 }, { requests: 4, errors: 4 }])).toBeUndefined();
  });

  test("alarms on any unhealthy target for two consecutive minutes, per target group", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/BlueUnhealthyHosts");
    expect(alarm).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "UnHealthyHostCount",
      dimensions: { TargetGroup: BLUE, LoadBalancer: ALB },
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 2,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
  });

  test("takes the rate, volume, datapoints and periods from props", () => {
    const json = synthAlarms({ fiveXxRatePercent: 2.5, minimumRequestsPerMinute: 50, datapointsToAlarm: 3, evaluationPeriods: 5, unhealthyEvaluationPeriods: 4 });
    const alarm = byPath(json, "aws_cloudwatch_metric_alarm", "Alarms/BlueTarget5xx") as Alarm;
    expect(alarm).toMatchObject({ threshold: 2.5, datapoints_to_alarm: 3, evaluation_periods: 5 });
    expect((alarm.metric_query as Query[])[2].expression).toBe("IF(requests >= 50, 100 * FILL(errors, 0) / requests, 0)");
    expect(byPath(json, "aws_cloudwatch_metric_alarm", "Alarms/GreenUnhealthyHosts")).toMatchObject({ evaluation_periods: 4 });
  });

  test.each([
    ["fiveXxRatePercent", { fiveXxRatePercent: 0 }, "DeploymentAlarms: fiveXxRatePercent must be more than 0 and at most 100 (got 0)"],
    ["minimumRequestsPerMinute", { minimumRequestsPerMinute: 1.5 }, "DeploymentAlarms: minimumRequestsPerMinute must be a whole number of at least 1 (got 1.5)"],
    ["datapointsToAlarm", { datapointsToAlarm: 4 }, "DeploymentAlarms: datapointsToAlarm must be at most evaluationPeriods (3) (got 4)"],
    ["unhealthyEvaluationPeriods", { unhealthyEvaluationPeriods: -1 }, "DeploymentAlarms: unhealthyEvaluationPeriods must be a whole number of at least 1 (got -1)"],
  ])("fails when %s is out of range", (_prop, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
