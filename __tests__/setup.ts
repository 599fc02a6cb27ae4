// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...) for every test file.
import { Testing } from "cdktf";

Testing.setupJest();

/*
 * Test speed: cheap token creation stacks.
 *
 * cdktf records where every token was created (cdktf/lib/tokens/private/stack-trace.js): it sets
 * `Error.stackTraceLimit` to Number.MAX_SAFE_INTEGER, captures a stack on a plain object and reads it at
 * once. Under jest every stack is rendered by jest's source-map formatter, which maps each frame
 * (node_modules included) through its source map; a project synth creates tens of thousands of tokens,
 * so this alone was about half of a synth-heavy test file's time.
 * The stack only ever appears in cdktf's error messages about a bad token, so here such captures keep
 * their first 10 frames (the construct code that made the token) rendered by V8 without source maps.
 * Real errors (assertion failures, thrown exceptions) are untouched: they still get jest's
 * source-mapped stacks with jest's frame limit.
 */
const TOKEN_CAPTURE_MIN_LIMIT = 1000;
const TOKEN_STACK_FRAMES = 10;

/** Errors thrown by Node built-ins come from the main realm, whose `Error` carries jest's formatter. */
const mainRealmError: ErrorConstructor = (() => {
  try {
    Buffer.alloc(-1);
  } catch (error) {
    return Object.getPrototypeOf((error as Error).constructor) as ErrorConstructor;
  }
  return Error;
})();

/** Targets of token stack captures; V8 renders a stack when it is first read, after the capture returns. */
const tokenCaptures = new WeakSet<object>();

const captureStackTrace = Error.captureStackTrace.bind(Error);
Error.captureStackTrace = (target: object, below?: Parameters<typeof Error.captureStackTrace>[1]): void => {
  // A token capture: unlimited depth, on a plain object rather than an Error. cdktf restores its limit afterwards.
  if (!(target instanceof Error) && Error.stackTraceLimit >= TOKEN_CAPTURE_MIN_LIMIT) {
    Error.stackTraceLimit = TOKEN_STACK_FRAMES;
    tokenCaptures.add(target);
  }
  captureStackTrace(target, below);
};

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
  // The first line is the error's name and message; a token capture has none (cdktf drops it).
  if (tokenCaptures.has(error)) return `\n${frames.join("\n")}`;
  const jestFormatter = mainRealmError.prepareStackTrace;
  return jestFormatter ? jestFormatter(error, frames) : `${String(error)}\n    at ${frames.join("\n    at ")}`;
};
