import { Rule } from "../../types";
import { violation } from "../../values";

export const lambdaNoPublicUrl: Rule = {
  id: "BG-LMB-001",
  area: "lambda",
  title: "No unauthenticated Lambda function URLs",
  check: "No aws_lambda_function_url has authorization_type = NONE.",
  rationale: "An unauthenticated URL lets anyone on the internet invoke the function (the smoke-test hook must only run for CodeDeploy).",
  source: "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
  fix: "Use authorization_type = \"AWS_IAM\" or remove the function URL.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_lambda_function_url")
      .filter((u) => u.body.authorization_type === "NONE")
      .map((u) => violation(u, "function URL is public (authorization_type NONE)")),
};
