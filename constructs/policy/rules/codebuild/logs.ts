import { Rule } from "../../types";
import { violation } from "../../values";
import { nested } from "../shared";

export const codeBuildLogs: Rule = {
  id: "BG-CB-002",
  area: "codebuild",
  title: "CodeBuild logs go to a managed log group",
  check: "Every aws_codebuild_project has logs_config with cloudwatch_logs enabled and a group_name (or s3_logs ENABLED).",
  rationale: "Without an explicit group CodeBuild creates /aws/codebuild/<project> itself, with no retention and outside Terraform.",
  source: "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_LogsConfig.html",
  fix: "Create an aws_cloudwatch_log_group with retention and set logs_config.cloudwatch_logs { group_name = <it> }.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_codebuild_project")
      .filter((p) => {
        const cloudwatch = nested(p.body, "logs_config.cloudwatch_logs.status") !== "DISABLED" && !!nested(p.body, "logs_config.cloudwatch_logs.group_name");
        const s3 = nested(p.body, "logs_config.s3_logs.status") === "ENABLED";
        return !cloudwatch && !s3;
      })
      .map((p) => violation(p, "no logs_config with a CloudWatch log group (or S3 logs)")),
};
