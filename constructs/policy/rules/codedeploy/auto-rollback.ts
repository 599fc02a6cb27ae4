import { Rule } from "../../types";
import { isTrue, strings, violation } from "../../values";
import { ecsDeploymentGroups, nested } from "../shared";

const REQUIRED_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];

export const codeDeployAutoRollback: Rule = {
  id: "BG-CD-001",
  area: "codedeploy",
  title: "Deployments roll back on failure and on alarm",
  check: "Every ECS deployment group has auto_rollback_configuration enabled with DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM.",
  rationale: "The ECS circuit breaker does not work with CODE_DEPLOY; automatic rollback is the only automatic way back to the old task set.",
  source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html",
  fix: "Set auto_rollback_configuration { enabled = true, events = [\"DEPLOYMENT_FAILURE\", \"DEPLOYMENT_STOP_ON_ALARM\"] }.",
  evaluate: (ctx) =>
    ecsDeploymentGroups(ctx).flatMap((group) => {
      const enabled = isTrue(nested(group.body, "auto_rollback_configuration.enabled"));
      const events = strings(nested(group.body, "auto_rollback_configuration.events"));
      const missing = REQUIRED_EVENTS.filter((e) => !events.includes(e));
      if (!enabled) return [violation(group, "automatic rollback is not enabled")];
      return missing.length > 0 ? [violation(group, `rollback events miss ${missing.join(", ")}`)] : [];
    }),
};
