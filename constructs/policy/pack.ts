/**
 * Applies the rule pack to a stack at synth: a stack validation evaluates every rule against the
 * synthesized Terraform JSON and throws one `PolicyViolationError` listing every unsuppressed
 * violation. `app.synth()` runs validations before it writes anything for the stack.
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { createPolicyContext } from "./context";
import { PolicyViolationError } from "./errors";
import { ALL_RULES } from "./rules";
import { collectSuppressions, DeclaredSuppression } from "./suppressions";
import { ResolvedPolicyOptions, Rule, RuleViolation } from "./types";
import { isWithin, Json } from "./values";

export interface PolicyPackOptions {
  /**
   * The stack is the bootstrap stack that creates the state bucket, so it may use a local backend.
   * @default false
   */
  readonly bootstrap?: boolean;
  /**
   * The stack is the access stack: its plan and deploy roles are the identity layer, which carries no
   * permissions boundary (the boundary is for the roles they create).
   * @default false
   */
  readonly identity?: boolean;
  /**
   * Constructs (e.g. the runtime of environments whose config turns deletion protection on) whose
   * load balancers must have `enable_deletion_protection = true`.
   * @default - no load balancer requires it
   */
  readonly deletionProtection?: readonly IConstruct[];
  /**
   * Constructs (the runtime of environments whose config says `allowPlainHttp: true`) whose listeners may serve
   * plain HTTP; every other listener must be HTTPS or redirect to it (BG-ALB-006).
   * @default - none: every listener must be HTTPS or redirect to it
   */
  readonly plainHttp?: readonly IConstruct[];
  /**
   * The rules to apply.
   * @default - every rule in the pack
   */
  readonly rules?: readonly Rule[];
}

/** A violation that a suppression accepted. */
export interface SuppressedViolation {
  readonly violation: RuleViolation;
  readonly suppression: DeclaredSuppression;
}

export interface PolicyResult {
  /** Unsuppressed violations, sorted by rule id and address. */
  readonly violations: readonly RuleViolation[];
  readonly suppressed: readonly SuppressedViolation[];
}

/** Inputs for evaluating a Terraform JSON document directly (tests, or a `cdk.tf.json` on disk). */
export interface EvaluateTerraformInput {
  readonly stackPath: string;
  readonly options?: Partial<ResolvedPolicyOptions>;
  readonly rules?: readonly Rule[];
  readonly suppressions?: readonly DeclaredSuppression[];
}

/** The options each stack's pack was registered with (what `evaluatePolicyPack` uses when given none). */
const registered = new WeakMap<TerraformStack, PolicyPackOptions>();

/** Registers the pack as a validation of `stack`; synth then fails with a `PolicyViolationError` on any violation. */
export function applyPolicyPack(stack: TerraformStack, options: PolicyPackOptions = {}): void {
  registered.set(stack, options);
  stack.node.addValidation({
    validate: () => {
      const result = evaluatePolicyPack(stack, options);
      if (result.violations.length > 0) {
        // Thrown rather than returned so the caller gets one typed, readable error instead of
        // cdktf's generic "Validation failed" wrapper with its advice to skip validation.
        throw new PolicyViolationError(formatPolicyReport(stack.node.path, result.violations), result.violations);
      }
      return [];
    },
  });
}

/** Evaluates the pack against the stack as it would synthesize now; without options, with those `applyPolicyPack` registered. */
export function evaluatePolicyPack(stack: TerraformStack, options: PolicyPackOptions = registered.get(stack) ?? {}): PolicyResult {
  return evaluateTerraform(stack.toTerraform() as Json, {
    stackPath: stack.node.path,
    options: {
      bootstrap: options.bootstrap ?? false,
      identity: options.identity ?? false,
      deletionProtectionPaths: (options.deletionProtection ?? []).map((c) => c.node.path),
      plainHttpPaths: (options.plainHttp ?? []).map((c) => c.node.path),
    },
    rules: options.rules,
    suppressions: collectSuppressions(stack),
  });
}

/** Evaluates rules against a synthesized Terraform JSON document. */
export function evaluateTerraform(terraform: Json, input: EvaluateTerraformInput): PolicyResult {
  const ctx = createPolicyContext(terraform, input.stackPath, {
    bootstrap: input.options?.bootstrap ?? false,
    identity: input.options?.identity ?? false,
    deletionProtectionPaths: input.options?.deletionProtectionPaths ?? [],
    plainHttpPaths: input.options?.plainHttpPaths ?? [],
  });
  const suppressions = input.suppressions ?? [];
  const violations: RuleViolation[] = [];
  const suppressed: SuppressedViolation[] = [];
  for (const rule of input.rules ?? ALL_RULES) {
    for (const violation of runRule(rule, ctx)) {
      const suppression = suppressions.find((s) => s.id === rule.id && isWithin(violation.path, s.path));
      if (suppression) suppressed.push({ violation, suppression });
      else violations.push(violation);
    }
  }
  violations.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.address.localeCompare(b.address));
  return { violations, suppressed };
}

/** A rule that throws on odd input reports that as its own violation instead of crashing synth. */
function runRule(rule: Rule, ctx: ReturnType<typeof createPolicyContext>): RuleViolation[] {
  try {
    return rule.evaluate(ctx).map((v) => ({ ruleId: rule.id, ...v }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ ruleId: rule.id, address: "(rule error)", path: ctx.stackPath, message: `the rule could not evaluate this stack: ${message}` }];
  }
}

/** The text of a failed policy check: every violation with its address and what to change. */
export function formatPolicyReport(stackPath: string, violations: readonly RuleViolation[]): string {
  const fixes = new Map(ALL_RULES.map((r) => [r.id, r.fix]));
  const lines = violations.map((v) => {
    const fix = fixes.get(v.ruleId);
    return `  ${v.ruleId} ${v.address} (${v.path})\n      ${v.message}${fix ? `\n      fix: ${fix}` : ""}`;
  });
  const count = violations.length === 1 ? "1 violation" : `${violations.length} violations`;
  return [
    `policy: stack "${stackPath}" fails ${count}:`,
    ...lines,
    `Fix each, or suppress a reviewed exception with suppress(construct, [{ id, reason }]) (rules: docs/policy-rules.md).`,
  ].join("\n");
}
