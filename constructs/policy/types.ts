/**
 * The shapes the policy pack works with: rules are pure functions from a view of the
 * synthesized Terraform JSON to violations (the cdk-nag model, applied after synthesis so
 * resources added by hand or through overrides are checked too).
 */

/** Where a rule belongs; also the folder it lives in under `rules/`. */
export type RuleArea =
  | "s3"
  | "ecr"
  | "iam"
  | "alb"
  | "listener"
  | "security-group"
  | "ecs"
  | "codedeploy"
  | "codepipeline"
  | "codebuild"
  | "logs"
  | "state"
  | "lambda"
  | "sns"
  | "kms"
  | "github";

/** One Terraform block (resource or data source) of the synthesized stack. */
export interface TfBlock {
  /** Resource type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Logical name (cdktf's unique id), e.g. `ArtifactBucket_Bucket_ABC123`. */
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.X`, or `data.aws_iam_policy_document.X` for data sources. */
  readonly address: string;
  /** Construct path cdktf recorded in the block's `//` metadata; the stack path for hand-written blocks. */
  readonly path: string;
  /** The block's arguments, snake_case, tokens already rendered as `${...}` expressions. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** A normalized IAM policy statement, from an `aws_iam_policy_document` data source or literal JSON. */
export interface IamStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/** The Terraform backend of the stack (`terraform.backend.<type>`), or `cloud` for `terraform.cloud`. */
export interface BackendInfo {
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Evaluation switches that come from the configuration, not from the resources. */
export interface ResolvedPolicyOptions {
  /** The stack is the bootstrap stack (state bucket) and may use a local backend. */
  readonly bootstrap: boolean;
  /** The stack is the access stack (identity roles, which carry no boundary). */
  readonly identity: boolean;
  /** Construct paths under which load balancers must have deletion protection on. */
  readonly deletionProtectionPaths: readonly string[];
  /** Construct paths whose listeners may serve plain HTTP: the environments that opted out of HTTPS (`allowPlainHttp`). */
  readonly plainHttpPaths: readonly string[];
}

/** What rules see: the synthesized stack, indexed once. */
export interface PolicyContext {
  readonly options: ResolvedPolicyOptions;
  readonly backend: BackendInfo | undefined;
  /** The stack's construct path (used for blocks without cdktf metadata). */
  readonly stackPath: string;
  resources(type: string): readonly TfBlock[];
  dataSources(type: string): readonly TfBlock[];
  byAddress(address: string): TfBlock | undefined;
  /** Every block referenced anywhere inside `value` (strings like `${aws_lb.X.arn}`), in order, without duplicates. */
  refs(value: unknown): readonly TfBlock[];
  /**
   * Blocks of `type` whose `attribute` references `target` or, when `literalKeys` are given, holds the
   * same literal as one of the target's attributes (e.g. a bucket policy naming the bucket literally).
   */
  attachedTo(target: TfBlock, type: string, attribute: string, literalKeys?: readonly string[]): readonly TfBlock[];
  /** Statements of a policy argument: a reference to an `aws_iam_policy_document`, or literal JSON; `undefined` when not inspectable. */
  statements(policy: unknown): readonly IamStatement[] | undefined;
}

/** One finding of one rule. */
export interface Violation {
  /** Terraform address of the offending block (or `terraform.backend.s3` for the backend). */
  readonly address: string;
  /** Construct path used to match suppressions. */
  readonly path: string;
  /** What is wrong, specifically (the rule's `fix` says what to change). */
  readonly message: string;
}

/** A guardrail. One rule per file under `rules/<area>/`. */
export interface Rule {
  /** Stable id, `BG-<AREA>-<NNN>`; never reused. */
  readonly id: string;
  readonly area: RuleArea;
  readonly title: string;
  /** What is checked. */
  readonly check: string;
  /** Why it matters. */
  readonly rationale: string;
  /** Where the rationale comes from. */
  readonly source: string;
  /** What to change. */
  readonly fix: string;
  readonly evaluate: (ctx: PolicyContext) => Violation[];
}

/** A violation with its rule id, as reported. */
export interface RuleViolation extends Violation {
  readonly ruleId: string;
}
