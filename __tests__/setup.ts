// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...) for every test file.
// What `Testing.setupJest()` calls, imported on its own: the cdktf index loads about 380 modules, which the
// test files that never build a stack (config, plan comment, the app's server) need not pay for.
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { skippingTokenTraces } from "../stacks/synth-speed";

setupJest();

/*
 * Test speed: no cdktf token creation stacks, as in `cdktf synth` (stacks/synth-speed.ts).
 *
 * cdktf records where every token was created (cdktf/lib/tokens/private/stack-trace.js): it raises
 * `Error.stackTraceLimit` to Number.MAX_SAFE_INTEGER, captures a stack into a plain `{ stack: "" }` object
 * and reads it at once. Under jest every stack is rendered by jest's source-map formatter, frame by frame;
 * a project synth creates tens of thousands of tokens, so this was about half of a synth-heavy test
 * file's time. The trace only decorates cdktf's "unresolvable token" errors, and the app's own synth
 * already skips it (`withoutTokenStackTraces`): here too such captures are skipped (the trace comes back
 * empty, which cdktf handles). Real errors (Error instances: assertion failures, thrown exceptions) keep
 * jest's source-mapped stack traces.
 */
Error.captureStackTrace = skippingTokenTraces(Error.captureStackTrace);
