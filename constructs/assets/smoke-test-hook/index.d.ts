// Types of index.js for the TypeScript tests; the Lambda runs index.js.
export interface SmokeTestConfig {
  url: string | undefined;
  requiredSuccesses: number;
  maxAttempts: number;
  requestTimeoutMs: number;
  retryDelayMs: number;
}

export interface SmokeTestDependencies {
  get: (url: string, timeoutMs: number) => Promise<{ status: number | undefined }>;
  report: (deploymentId: string, lifecycleEventHookExecutionId: string, status: "Succeeded" | "Failed") => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  log: (...args: unknown[]) => void;
  config: SmokeTestConfig;
}

export interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

export function createHandler(
  overrides?: Partial<SmokeTestDependencies>,
): (event: HookEvent, context?: LambdaContext) => Promise<{ status: "Succeeded" | "Failed" }>;

export function configFromEnv(env: Record<string, string | undefined>): SmokeTestConfig;

/** One GET with a timeout; the certificate chain is verified, the host name is not (the URL names the ALB). */
export function httpGet(url: string, timeoutMs: number): Promise<{ status: number | undefined }>;

export function handler(event: HookEvent, context?: LambdaContext): Promise<{ status: "Succeeded" | "Failed" }>;

/** The ECS lifecycle hook's answer: ECS continues on SUCCEEDED and rolls back on FAILED. */
export interface EcsHookResult {
  hookStatus: "SUCCEEDED" | "FAILED";
}

export function createEcsHandler(
  overrides?: Partial<Omit<SmokeTestDependencies, "report">>,
): (event: unknown, context?: LambdaContext) => Promise<EcsHookResult>;

export function ecsHandler(event: unknown, context?: LambdaContext): Promise<EcsHookResult>;
