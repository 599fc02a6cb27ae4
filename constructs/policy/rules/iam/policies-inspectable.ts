import { Rule } from "../../types";
import { violation } from "../../values";
import { identityPolicies, trustPolicies } from "./policies";

export const iamPoliciesInspectable: Rule = {
  id: "BG-IAM-008",
  area: "iam",
  title: "IAM policies can be checked at synth",
  check: "Every role, inline and managed policy document is an aws_iam_policy_document reference or literal JSON.",
  rationale: "The IAM rules can only vouch for policies they can read; a policy computed by jsonencode/templatefile escapes every check.",
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-validate-policies",
  fix: "Render the policy with the constructs/iam helpers (DataAwsIamPolicyDocument), not with jsonencode or string templates.",
  evaluate: (ctx) =>
    [...identityPolicies(ctx), ...trustPolicies(ctx)]
      .filter((use) => use.statements === undefined)
      .map((use) => violation(use.resource, `${use.attribute} is not an aws_iam_policy_document reference or literal JSON`)),
};
