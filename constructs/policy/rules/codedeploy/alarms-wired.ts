import { Rule } from "../../types";
import { isTrue, strings, violation } from "../../values";
import { ecsDeploymentGroups, nested } from "../shared";

export const codeDeployAlarmsWired: Rule = {
  id: "BG-CD-002",
  area: "codedeploy",
  title: "Deployments are watched by alarms",
  check: "Every ECS deployment group has alarm_configuration enabled with at least one alarm.",
  rationale: "Alarms (5xx, unhealthy hosts) stop a bad deployment while traffic shifts; without them only a task that never starts fails a deployment.",
  source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html",
  fix: "Wire the DeploymentAlarms into alarm_configuration { enabled = true, alarms = [...] }.",
  evaluate: (ctx) =>
    ecsDeploymentGroups(ctx).flatMap((group) => {
      const enabled = isTrue(nested(group.body, "alarm_configuration.enabled"));
      const alarms = strings(nested(group.body, "alarm_configuration.alarms"));
      return enabled && alarms.length > 0 ? [] : [violation(group, "no enabled alarm configuration with alarms")];
    }),
};
