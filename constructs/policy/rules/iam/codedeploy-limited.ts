import { Rule } from "../../types";
import { strings, violation } from "../../values";

/** The full policy: invoke any Lambda, publish anywhere, read any object, pass any role to ECS tasks. */
const FULL_POLICY = /:policy\/(?:service-role\/)?AWSCodeDeployRoleForECS$/;

export const iamCodeDeployLimited: Rule = {
  id: "BG-IAM-013",
  area: "iam",
  title: "CodeDeploy's ECS role uses the Limited managed policy",
  check: "No role has AWSCodeDeployRoleForECS attached (AWSCodeDeployRoleForECSLimited is the one to use).",
  rationale:
    "AWSCodeDeployRoleForECS lets CodeDeploy invoke any Lambda function, publish to any topic, read any S3 object and pass any role to ECS tasks; the Limited variant stops at CodeDeployHook_* functions and CodeDeployTopic_* topics.",
  source: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECSLimited.html",
  fix: "Attach AWSCodeDeployRoleForECSLimited, name hook functions CodeDeployHook_*, and pass the task and execution roles with an inline iam:PassRole.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_iam_role_policy_attachment")
      .filter((attachment) => strings(attachment.body.policy_arn).some((arn) => FULL_POLICY.test(arn)))
      .map((attachment) => violation(attachment, "attaches AWSCodeDeployRoleForECS")),
};
