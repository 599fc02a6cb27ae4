/**
 * A typed IAM policy statement. Constructs build these through the grant helpers and
 * render them with `DataAwsIamPolicyDocument`, never with `JSON.stringify`.
 */
export interface PolicyCondition {
  /** Condition operator, e.g. `StringEquals`, `ArnLike`. */
  readonly test: string;
  /** Condition key, e.g. `iam:PassedToService`. */
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyPrincipal {
  /** `Service`, `AWS` or `Federated`. */
  readonly type: "Service" | "AWS" | "Federated";
  readonly identifiers: readonly string[];
}

export interface PolicyStatement {
  /** Statement id; also documents why the statement exists. */
  readonly sid: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  /** Resource ARNs. `*` only for actions without resource-level permissions; say why in a comment. */
  readonly resources?: readonly string[];
  /**
   * Every resource except these (`NotResource`). Only for Deny statements, where "everything but the
   * state" is the point; never with `resources`.
   * @default - none
   */
  readonly notResources?: readonly string[];
  readonly principals?: readonly PolicyPrincipal[];
  readonly conditions?: readonly PolicyCondition[];
}

/** Renders a statement in the snake_case shape Terraform expects inside `aws_iam_policy_document`. */
export function toTerraformStatement(statement: PolicyStatement): Record<string, unknown> {
  if (statement.notResources && (statement.resources || statement.effect !== "Deny")) {
    throw new Error(`statement ${statement.sid}: notResources is only for Deny statements without resources`);
  }
  return {
    sid: statement.sid,
    effect: statement.effect ?? "Allow",
    actions: [...statement.actions],
    ...(statement.resources ? { resources: [...statement.resources] } : {}),
    ...(statement.notResources ? { not_resources: [...statement.notResources] } : {}),
    ...(statement.principals
      ? { principals: statement.principals.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })) }
      : {}),
    ...(statement.conditions
      ? {
          condition: statement.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
        }
      : {}),
  };
}
