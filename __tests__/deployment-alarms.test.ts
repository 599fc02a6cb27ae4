import { DeploymentAlarms, DeploymentAlarmsProps } from "../constructs/deployment-alarms";
import { NAME, TerraformJson, byPath, runtimeStack, synth } from "./helpers/runtime-b";

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

describe("DeploymentAlarms (invariant 3: alarms on both target groups)", () => {
  test("creates four alarms: 5xx and unhealthy hosts, for blue and for green", () => {
    const json = synthAlarms();
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm);
    expect(alarms.map((a) => [a.metric_name, a.dimensions.TargetGroup])).toEqual([
      ["HTTPCode_Target_5XX_Count", BLUE],
      ["UnHealthyHostCount", BLUE],
      ["HTTPCode_Target_5XX_Count", GREEN],
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

  test("alarms on at least 5 target 5xx responses in one minute, and ignores idle periods", () => {
    const alarm = byPath(synthAlarms(), "aws_cloudwatch_metric_alarm", "Alarms/GreenTarget5xx");
    expect(alarm).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HTTPCode_Target_5XX_Count",
      dimensions: { TargetGroup: GREEN, LoadBalancer: ALB },
      statistic: "Sum",
      period: 60,
      evaluation_periods: 1,
      threshold: 5,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
  });

  test("alarms on any unhealthy target for two consecutive minutes", () => {
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

  test("takes thresholds and evaluation periods from props", () => {
    const json = synthAlarms({ fiveXxThreshold: 20, evaluationPeriods: 3, unhealthyEvaluationPeriods: 4 });
    expect(byPath(json, "aws_cloudwatch_metric_alarm", "Alarms/BlueTarget5xx")).toMatchObject({ threshold: 20, evaluation_periods: 3 });
    expect(byPath(json, "aws_cloudwatch_metric_alarm", "Alarms/GreenUnhealthyHosts")).toMatchObject({ evaluation_periods: 4 });
  });

  test.each([
    ["fiveXxThreshold", { fiveXxThreshold: 0 }, "fiveXxThreshold must be a whole number of at least 1 (got 0)"],
    ["evaluationPeriods", { evaluationPeriods: 1.5 }, "evaluationPeriods must be a whole number of at least 1 (got 1.5)"],
    ["unhealthyEvaluationPeriods", { unhealthyEvaluationPeriods: -1 }, "unhealthyEvaluationPeriods must be a whole number of at least 1 (got -1)"],
  ])("fails when %s is not a positive whole number", (_prop, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
