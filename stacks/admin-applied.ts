import { TerraformStack } from "cdktf";

/** The value of `"//".appliedBy` in the cdk.tf.json of a stack CI must never plan or deploy. */
export const APPLIED_BY_ADMINISTRATOR = "administrator";

/**
 * Marks a stack that only an administrator applies (`bootstrap`, `<project>-access`): it holds what the
 * deploy role must not change. The workflows skip every stack whose cdk.tf.json carries the marker
 * (and, should a stack lose it, the ids `bootstrap` and `*-access`). Terraform ignores `//` keys in JSON
 * configuration, so the marker changes nothing it plans.
 */
export function markAppliedByAdministrator(stack: TerraformStack): void {
  stack.addOverride("//.appliedBy", APPLIED_BY_ADMINISTRATOR);
}
