import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * The permissions boundary every role of a stack carries (AWS's boundary-delegation pattern: the deploy
 * role may only create roles that carry it). One per stack, registered by the stack before it builds
 * roles, so no construct has to thread the ARN through its props.
 */
const boundaries = new WeakMap<TerraformStack, string>();

/** Makes `boundaryArn` the permissions boundary of every ServiceRole created in `stack` from now on. */
export function useRoleBoundary(stack: TerraformStack, boundaryArn: string): void {
  if (boundaries.has(stack)) throw new Error(`stack ${stack.node.id} already has a role permissions boundary`);
  boundaries.set(stack, boundaryArn);
}

/** The permissions boundary registered for the stack that holds `scope`, if any. */
export function roleBoundaryOf(scope: IConstruct): string | undefined {
  return boundaries.get(TerraformStack.of(scope));
}
