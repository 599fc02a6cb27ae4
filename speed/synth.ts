import type { TerraformStack } from "cdktf";
import { speedTricksOn } from "./switch.cjs";

/**
 * Two measured costs of cdktf synth that grow with every resource (docs/benchmarks.md, "Fleet"), removed
 * for the duration of one synth without changing a byte of output. Both lean on cdktf internals, so both
 * obey the speed switch (`BLUEGREEN_SPEED_TRICKS=off`, ./switch.cjs): off, they do nothing.
 */

/**
 * cdktf records where every token was created (`Intrinsic`, `Lazy`, ...): it captures a full stack trace
 * (`Error.stackTraceLimit` raised to MAX_SAFE_INTEGER) into a plain `{ stack: "" }` object and formats it,
 * about a quarter of a fleet's synth time. The trace only ever decorates cdktf's "unresolvable token"
 * errors. While `fn` runs, captures into such plain holder objects are skipped (the trace comes back
 * empty, which cdktf already handles); real errors (Error instances) keep their stack traces.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  if (!speedTricksOn()) return fn();
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
  if (!speedTricksOn()) return;
  for (const stack of stacks) {
    const original = stack.toTerraform.bind(stack);
    let json: ReturnType<typeof original> | undefined;
    // The first call comes from the validation, after every stack's prepareStack (the pass that adds
    // cross-stack outputs to other stacks), so nothing is missed.
    stack.toTerraform = () => (json ??= original());
  }
}

/**
 * The test setup's part (jest): no token creation stacks in any test file, as in `cdktf synth`. Under jest every
 * captured stack is rendered by jest's source-map formatter, frame by frame; a project synth creates tens of
 * thousands of tokens, so this was about half of a synth-heavy test file's time. Off with the switch.
 */
export function skipTokenStackTracesInTests(): void {
  if (speedTricksOn()) Error.captureStackTrace = skippingTokenTraces(Error.captureStackTrace);
}
