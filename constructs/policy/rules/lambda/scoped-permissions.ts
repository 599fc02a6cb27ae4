import { Rule } from "../../types";
import { violation } from "../../values";

export const lambdaScopedPermissions: Rule = {
  id: "BG-LMB-002",
  area: "lambda",
  title: "Lambda invoke permissions name their source",
  check: "No aws_lambda_permission has principal *, and service principals come with source_arn or source_account.",
  rationale: "Without a source, any account's resource of that service can invoke the function (confused deputy).",
  source: "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
  fix: "Set source_arn (the rule, topic or bucket that invokes the function) on the permission.",
  evaluate: (ctx) =>
    ctx.resources("aws_lambda_permission").flatMap((p) => {
      const principal = String(p.body.principal ?? "");
      if (principal === "*") return [violation(p, "anyone may invoke the function")];
      if (principal.endsWith(".amazonaws.com") && p.body.source_arn === undefined && p.body.source_account === undefined) {
        return [violation(p, `${principal} may invoke the function from any account`)];
      }
      return [];
    }),
};
