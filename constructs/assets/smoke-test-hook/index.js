"use strict";
/**
 * CodeDeploy AfterAllowTestTraffic hook: GETs the health path of the new (green) tasks through the ALB's test
 * listener and reports Succeeded or Failed to CodeDeploy. It ALWAYS reports (try/finally, and it stops testing
 * before the Lambda timeout): an unreported hook keeps the deployment waiting for an hour before it fails.
 *
 * `ecsHandler` runs the same checks as an Amazon ECS (native blue/green) lifecycle hook at
 * POST_TEST_TRAFFIC_SHIFT: ECS reads the result from the return value (`{ hookStatus: "SUCCEEDED" | "FAILED" }`,
 * "Lambda hooks for Amazon ECS service deployments" in the ECS developer guide), and a missing status or an
 * error rolls the deployment back; nothing is reported to an API.
 *
 * CommonJS on purpose: jest loads it as is (no ESM transform), and the nodejs22.x runtime provides
 * @aws-sdk/client-codedeploy, which is required lazily so the tests never need it installed.
 */
const http = require("node:http");
const https = require("node:https");

/** Milliseconds kept for reporting to CodeDeploy after the last test request. */
const REPORT_RESERVE_MS = 10000;

/** Reads the settings the construct puts in the function's environment. */
function configFromEnv(env) {
  const number = (key, fallback) => (env[key] === undefined ? fallback : Number(env[key]));
  return {
    url: env.TEST_URL,
    requiredSuccesses: number("REQUIRED_SUCCESSES", 3),
    maxAttempts: number("MAX_ATTEMPTS", 6),
    requestTimeoutMs: number("REQUEST_TIMEOUT_MS", 5000),
    retryDelayMs: number("RETRY_DELAY_MS", 2000),
  };
}

/**
 * One GET; resolves with the status code. The test URL uses the ALB's DNS name, which the listener's
 * certificate (issued for the application's domain) does not name: the chain is still verified, the host name
 * is not. What is tested here is the application, not the certificate.
 */
function httpGet(url, timeoutMs) {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { timeout: timeoutMs, checkServerIdentity: () => undefined }, (response) => {
      response.resume();
      resolve({ status: response.statusCode });
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

/** Reports the hook's result with the CodeDeploy client the Lambda runtime provides. */
function codeDeployReporter() {
  let client;
  return async (deploymentId, lifecycleEventHookExecutionId, status) => {
    const sdk = require("@aws-sdk/client-codedeploy");
    client = client || new sdk.CodeDeployClient({});
    await client.send(
      new sdk.PutLifecycleEventHookExecutionStatusCommand({ deploymentId, lifecycleEventHookExecutionId, status }),
    );
  };
}

/** Up to `maxAttempts` GETs until `requiredSuccesses` answered 2xx; stops early when the Lambda runs out of time. */
async function runChecks(config, deps, remainingMs) {
  let successes = 0;
  const failures = [];
  for (let attempt = 1; attempt <= config.maxAttempts && successes < config.requiredSuccesses; attempt++) {
    if (remainingMs() < config.requestTimeoutMs + config.retryDelayMs + REPORT_RESERVE_MS) {
      failures.push("stopped: the Lambda is about to time out");
      break;
    }
    try {
      const { status } = await deps.get(config.url, config.requestTimeoutMs);
      if (status >= 200 && status < 300) {
        successes++;
        continue;
      }
      failures.push(`attempt ${attempt}: HTTP ${status}`);
    } catch (error) {
      failures.push(`attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await deps.sleep(config.retryDelayMs);
  }
  return { passed: successes >= config.requiredSuccesses, successes, failures };
}

/**
 * Builds the handler from its dependencies, so tests inject `get`, `report` and `sleep`.
 * @returns {(event: {DeploymentId: string, LifecycleEventHookExecutionId: string}, context?: {getRemainingTimeInMillis(): number}) => Promise<{status: string}>}
 */
function createHandler(overrides = {}) {
  const deps = {
    get: httpGet,
    report: codeDeployReporter(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (...args) => console.log(...args),
    config: configFromEnv(process.env),
    ...overrides,
  };
  return async (event, context) => {
    const remainingMs = () => (context ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY);
    let status = "Failed";
    try {
      if (!deps.config.url) {
        throw new Error("TEST_URL is not set");
      }
      const result = await runChecks(deps.config, deps, remainingMs);
      status = result.passed ? "Succeeded" : "Failed";
      deps.log(`smoke test of ${deps.config.url}: ${status}`, JSON.stringify(result));
    } catch (error) {
      deps.log(`smoke test of ${deps.config.url} could not run:`, error);
    } finally {
      await deps.report(event.DeploymentId, event.LifecycleEventHookExecutionId, status);
    }
    return { status };
  };
}

/**
 * The ECS lifecycle-hook handler: the same checks, the result returned as `hookStatus`.
 * @returns {(event: unknown, context?: {getRemainingTimeInMillis(): number}) => Promise<{hookStatus: string}>}
 */
function createEcsHandler(overrides = {}) {
  const deps = {
    get: httpGet,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (...args) => console.log(...args),
    config: configFromEnv(process.env),
    ...overrides,
  };
  return async (_event, context) => {
    const remainingMs = () => (context ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY);
    try {
      if (!deps.config.url) throw new Error("TEST_URL is not set");
      const result = await runChecks(deps.config, deps, remainingMs);
      deps.log(`smoke test of ${deps.config.url}: ${result.passed ? "SUCCEEDED" : "FAILED"}`, JSON.stringify(result));
      return { hookStatus: result.passed ? "SUCCEEDED" : "FAILED" };
    } catch (error) {
      deps.log(`smoke test of ${deps.config.url} could not run:`, error);
      return { hookStatus: "FAILED" };
    }
  };
}

exports.createHandler = createHandler;
exports.createEcsHandler = createEcsHandler;
exports.configFromEnv = configFromEnv;
exports.httpGet = httpGet;
let defaultHandler;
exports.handler = (event, context) => (defaultHandler ||= createHandler())(event, context);
let defaultEcsHandler;
exports.ecsHandler = (event, context) => (defaultEcsHandler ||= createEcsHandler())(event, context);
