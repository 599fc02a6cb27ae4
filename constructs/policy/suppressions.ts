/**
 * Suppressions are data on the construct tree: `{ id, reason }` pairs stored as construct
 * metadata. A suppression covers every Terraform block whose construct path is inside the
 * construct it was added to. Every suppression is printed at synth so reviewers see it.
 */
import { IConstruct } from "constructs";
import { PolicyViolationError } from "./errors";
import { ALL_RULES, ruleById } from "./rules";

/** A reviewed exception to one rule. */
export interface PolicySuppression {
  /** The rule id, e.g. `BG-ECS-006`. */
  readonly id: string;
  /** Why the exception is safe; at least 10 characters, shown in the synth output. */
  readonly reason: string;
}

/** A suppression together with the construct path it applies to. */
export interface DeclaredSuppression extends PolicySuppression {
  readonly path: string;
}

/** Metadata type under which suppressions are stored on constructs. */
export const SUPPRESSION_METADATA_TYPE = "bluegreen:policy-suppression";
const MIN_REASON_LENGTH = 10;

/**
 * Suppresses rules for `scope` and everything below it. Throws a `PolicyViolationError` for an
 * unknown rule id or a reason shorter than 10 characters.
 */
export function suppress(scope: IConstruct, suppressions: readonly PolicySuppression[]): void {
  const problems = suppressions.flatMap((s) => suppressionProblems(s));
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p}`).join("\n");
    throw new PolicyViolationError(`policy: invalid suppression on ${scope.node.path}:\n${lines}`);
  }
  for (const s of suppressions) {
    scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { id: s.id, reason: s.reason.trim() });
  }
}

function suppressionProblems(s: PolicySuppression): string[] {
  const problems: string[] = [];
  if (!ruleById(s.id)) {
    problems.push(`unknown rule id "${s.id}" (ids look like ${ALL_RULES[0].id}; see docs/policy-rules.md)`);
  }
  const reason = typeof s.reason === "string" ? s.reason.trim() : "";
  if (reason.length < MIN_REASON_LENGTH) {
    problems.push(`${s.id}: the reason must say why in at least ${MIN_REASON_LENGTH} characters (got "${reason}")`);
  }
  return problems;
}

/** Every suppression declared in `scope`'s subtree, in tree order. */
export function collectSuppressions(scope: IConstruct): DeclaredSuppression[] {
  return scope.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === SUPPRESSION_METADATA_TYPE)
      .map((entry) => {
        const data = entry.data as PolicySuppression;
        return { path: node.node.path, id: data.id, reason: data.reason };
      }),
  );
}

/** One line per suppression, for the synth output: `policy: suppressed BG-ECS-006 on demo/prod/Service (reason)`. */
export function describeSuppressions(scope: IConstruct): string[] {
  return collectSuppressions(scope).map((s) => `policy: suppressed ${s.id} on ${s.path} (${s.reason})`);
}
