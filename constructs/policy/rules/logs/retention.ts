import { Rule } from "../../types";
import { num, violation } from "../../values";

export const logRetention: Rule = {
  id: "BG-LOG-001",
  area: "logs",
  title: "Log groups have a retention period",
  check: "Every aws_cloudwatch_log_group sets retention_in_days > 0.",
  rationale: "The default is never expire: logs (and their cost) grow forever.",
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
  fix: "Set retention_in_days (the project default is 30; config key logRetentionDays).",
  evaluate: (ctx) =>
    ctx
      .resources("aws_cloudwatch_log_group")
      .filter((g) => {
        const days = num(g.body.retention_in_days);
        return days === undefined ? typeof g.body.retention_in_days !== "string" : days <= 0;
      })
      .map((g) => violation(g, "retention_in_days is not set (logs never expire)")),
};
