import { PolicyContext, Rule, TfBlock } from "../../types";
import { violation } from "../../values";
import { nested } from "../shared";

/** The function writes to a log group the stack manages: named /aws/lambda/<name>, or set as logging_config.log_group. */
function hasManagedLogGroup(ctx: PolicyContext, fn: TfBlock, groupNames: Set<string>): boolean {
  const configured = nested(fn.body, "logging_config.log_group");
  if (configured !== undefined) return ctx.refs(configured).some((b) => b.type === "aws_cloudwatch_log_group") || groupNames.has(String(configured));
  const name = fn.body.function_name;
  return groupNames.has(`/aws/lambda/${String(name)}`) || groupNames.has(`/aws/lambda/\${${fn.address}.function_name}`);
}

export const lambdaLogGroup: Rule = {
  id: "BG-LMB-003",
  area: "lambda",
  title: "Lambda functions log to a managed log group",
  check: "Every aws_lambda_function has an aws_cloudwatch_log_group named /aws/lambda/<function_name>, or logging_config.log_group pointing at one.",
  rationale: "Otherwise Lambda creates its log group on first invocation, with no retention and outside Terraform.",
  source: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
  fix: "Create the log group with retention (and make the function depend on it), or set logging_config.log_group.",
  evaluate: (ctx) => {
    const groupNames = new Set(ctx.resources("aws_cloudwatch_log_group").map((g) => String(g.body.name)));
    return ctx
      .resources("aws_lambda_function")
      .filter((fn) => !hasManagedLogGroup(ctx, fn, groupNames))
      .map((fn) => violation(fn, "no managed log group for this function"));
  },
};
