import { RuleViolation } from "./types";

/**
 * Thrown when the policy pack refuses a stack (or a suppression is malformed). `report` is the
 * whole human-readable explanation; print it as is, without a stack trace.
 */
export class PolicyViolationError extends Error {
  public readonly report: string;
  public readonly violations: readonly RuleViolation[];

  constructor(report: string, violations: readonly RuleViolation[] = []) {
    super(report);
    this.name = "PolicyViolationError";
    this.report = report;
    this.violations = violations;
  }
}
