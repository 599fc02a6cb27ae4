/**
 * Committed examples the constructs cannot synthesize yet: ecs-linear.yaml shifts traffic with ECS LINEAR and CANARY,
 * which the config accepts (issue 18) but stacks/config-props.ts refuses until the construct change lands. Tests that
 * synthesize every example skip these; that change deletes this list (and pins the example's digests and addresses).
 */
export const AWAITING_ECS_TRAFFIC_CONSTRUCTS: readonly string[] = ["ecs-linear.yaml"];

/** False for an example in AWAITING_ECS_TRAFFIC_CONSTRUCTS. */
export function synthesizable(file: string): boolean {
  return !AWAITING_ECS_TRAFFIC_CONSTRUCTS.includes(file);
}
