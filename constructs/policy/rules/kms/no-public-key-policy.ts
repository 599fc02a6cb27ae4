import { statementLabel } from "../../iam-statements";
import { PolicyContext, Rule, TfBlock } from "../../types";
import { violation } from "../../values";
import { publicAllowStatements } from "../shared";

function keyPolicies(ctx: PolicyContext): { resource: TfBlock; policy: unknown }[] {
  return [
    ...ctx.resources("aws_kms_key").filter((k) => k.body.policy !== undefined).map((k) => ({ resource: k, policy: k.body.policy })),
    ...ctx.resources("aws_kms_key_policy").map((k) => ({ resource: k, policy: k.body.policy })),
  ];
}

export const kmsNoPublicKeyPolicy: Rule = {
  id: "BG-KMS-002",
  area: "kms",
  title: "Key policies allow nothing to everyone",
  check: "No KMS key policy (aws_kms_key.policy, aws_kms_key_policy) has an Allow statement for principal * without a condition.",
  rationale: "A key policy is the only gate of a key; principal * without conditions lets any AWS account use or manage it.",
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
  fix: "Name the account root and the service principals, and narrow service access with kms:ViaService or aws:SourceArn.",
  evaluate: (ctx) =>
    keyPolicies(ctx).flatMap(({ resource, policy }) => {
      const statements = ctx.statements(policy) ?? [];
      return publicAllowStatements(statements).map((s) => violation(resource, `${statementLabel(s, statements.indexOf(s))} allows everyone`));
    }),
};
