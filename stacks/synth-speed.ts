import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";

/**
 * Two measured costs of cdktf synth that grow with every resource (docs/benchmarks.md, "Fleet"), removed
 * for the duration of one synth without changing a byte of output.
 */

/**
 * cdktf records where every token was created (`Intrinsic`, `Lazy`, ...): it captures a full stack trace
 * (`Error.stackTraceLimit` raised to MAX_SAFE_INTEGER) into a plain `{ stack: "" }` object and formats it,
 * about a quarter of a fleet's synth time. The trace only ever decorates cdktf's "unresolvable token"
 * errors. While `fn` runs, captures into such plain holder objects are skipped (the trace comes back
 * empty, which cdktf already handles); real errors (Error instances) keep their stack traces.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  const original = Error.captureStackTrace;
  Error.captureStackTrace = skippingTokenTraces(original);
  try {
    return fn();
  } finally {
    Error.captureStackTrace = original;
  }
}

/** cdktf's trace holder: a plain `{ stack: "" }` object, never an Error. */
function isTokenTraceHolder(target: object): boolean {
  return Object.getPrototypeOf(target) === Object.prototype && (target as { stack?: unknown }).stack === "";
}

/** `Error.captureStackTrace` that skips cdktf's token trace holders and captures everything else as `original` does. */
export function skippingTokenTraces(original: typeof Error.captureStackTrace): typeof Error.captureStackTrace {
  return function captureStackTrace(target: object, ...rest: unknown[]) {
    if (!isTokenTraceHolder(target)) (original as (target: object, ...rest: unknown[]) => void).call(Error, target, ...rest);
  };
}

/**
 * During `app.synth()` each stack is turned into Terraform JSON twice after `prepareStack`: once by the
 * policy pack's validation and once by the synthesizer that writes `cdk.tf.json`, with nothing in between
 * that changes it (aspects run before validations; custom synthesis only copies assets). Call this after
 * the stacks are built and right before `app.synth()`: from then on each stack's first `toTerraform()`
 * result is reused. Only for a one-shot synth (the stacks must not change afterwards).
 */
export function reuseTerraformJsonDuringSynth(stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) {
    const original = stack.toTerraform.bind(stack);
    let json: ReturnType<typeof original> | undefined;
    // The first call comes from the validation, after every stack's prepareStack (the pass that adds
    // cross-stack outputs to other stacks), so nothing is missed.
    stack.toTerraform = () => (json ??= original());
  }
}

/**
 * Moves every entry of `from` into `to`: a folder that `to` lacks moves whole (one rename), a file replaces
 * the file of the same name, and whatever else `to` holds stays (Terraform's `.terraform` folders inside
 * `cdktf.out/stacks/<id>`, other stacks). The same result as copying over `to`, without copying a byte:
 * a fleet's output is hundreds of folders and Lambda archives, and the copy plus the staging clean-up
 * cost more than a second on a busy disk. `from` must be on the same file system (the staging folder is
 * created next to `to`).
 */
export function moveInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const existing = existsSync(target) ? statSync(target) : undefined;
    if (entry.isDirectory() && existing?.isDirectory()) {
      moveInto(source, target);
      continue;
    }
    if (existing?.isDirectory()) rmSync(target, { recursive: true, force: true });
    renameSync(source, target);
  }
}
