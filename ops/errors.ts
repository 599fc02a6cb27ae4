/**
 * Exit codes and the one-line errors of the operations command. Every failure a user can meet ends as an
 * `OpsError`: one line on stderr and its exit code, never a stack trace.
 */

/** Process exit codes; documented in docs/operations-cli.md (a test keeps the table in step). */
export enum ExitCode {
  /** Done; for `wait`/`rollback`: the deployment succeeded. */
  Ok = 0,
  /** An unexpected error (a bug or an AWS error this tool does not know): one line, no stack trace. */
  Unexpected = 1,
  /** Bad arguments, unknown environment or service, invalid config, no synthesized stacks. */
  Usage = 2,
  /** The deployment failed or was rolled back (a hook failed, an alarm fired, tasks never got healthy). */
  DeploymentFailed = 3,
  /** The deployment was stopped by someone (`stop`, the console, the API). */
  DeploymentStopped = 4,
  /** `--timeout` passed before the deployment ended (it keeps running). */
  TimedOut = 5,
  /** `verify`: at least one check failed. */
  VerifyFailed = 6,
  /** `stop`/`rollback` not confirmed: declined at the prompt, or no terminal and no `--yes`. */
  NotConfirmed = 7,
  /** Another deployment is in flight (`rollback` refuses to queue behind it). */
  Conflict = 8,
  /** No AWS credentials found, or they expired. */
  NoCredentials = 10,
  /** The credentials' account or the AWS_REGION differs from the synthesized stacks'. */
  WrongAccountOrRegion = 11,
  /** A resource synth names does not exist in the account: the stack is not deployed (yet). */
  NotDeployed = 12,
  /** Nothing to act on: no deployment in flight, no approval waiting, no earlier release to roll back to. */
  NothingInFlight = 13,
  /** The pipeline synth names does not exist. */
  PipelineNotFound = 14,
  /** AWS denied an action; the message names it and the role to use. */
  AccessDenied = 15,
}

/** A failure with a one-line explanation and its exit code. */
export class OpsError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "OpsError";
  }
}

/** The fields of an AWS SDK v3 service exception this tool looks at. */
export interface AwsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "PriorRequestNotComplete",
]);
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "NotAuthorized"]);
const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException", "TokenRefreshRequired", "InvalidIdentityToken"]);
const NOT_FOUND = new Set([
  "DeploymentGroupDoesNotExistException",
  "ApplicationDoesNotExistException",
  "ClusterNotFoundException",
  "ServiceNotFoundException",
  "ListenerNotFoundException",
  "TargetGroupNotFoundException",
  "RepositoryNotFoundException",
  "NoSuchEntityException",
  "NoSuchEntity",
  "ResourceNotFoundException",
]);

function errorName(error: AwsErrorShape): string {
  return error.name ?? error.Code ?? "";
}

/** Throttled by AWS (worth retrying after a pause). */
export function isThrottling(error: unknown): boolean {
  const e = error as AwsErrorShape;
  return THROTTLING.has(errorName(e)) || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

/** Worth retrying: throttling, or a 5xx from the service. */
export function isRetryable(error: unknown): boolean {
  const status = (error as AwsErrorShape)?.$metadata?.httpStatusCode;
  return isThrottling(error) || (status !== undefined && status >= 500);
}

/** Who to ask for a missing permission, by command. */
export interface AccessAdvice {
  /** The caller, from sts:GetCallerIdentity, when known. */
  readonly caller?: string;
  /** The role that has the permission (e.g. the project's plan or deploy role). */
  readonly role?: string;
}

/** Maps an AWS SDK error to an `OpsError` for the action that failed; unknown errors stay as they are. */
export function toOpsError(error: unknown, action: string, advice: AccessAdvice): unknown {
  if (error instanceof OpsError) return error;
  const e = (error ?? {}) as AwsErrorShape;
  const name = errorName(e);
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(e.message ?? "")) {
    const who = advice.caller ? ` for ${advice.caller}` : "";
    const role = advice.role ? `use ${advice.role}, or ` : "";
    return new OpsError(ExitCode.AccessDenied, `access denied: ${action}${who}; ${role}ask for ${action} (README, "Permissions of the bluegreen command")`);
  }
  if (NO_CREDENTIALS.has(name) || name.startsWith("CredentialsProvider")) {
    return new OpsError(ExitCode.NoCredentials, `no usable AWS credentials (${name}: ${firstLine(e.message)}); log in (aws sso login, AWS_PROFILE) or, in CI, assume the role first`);
  }
  if (name === "PipelineNotFoundException") {
    return new OpsError(ExitCode.PipelineNotFound, `pipeline not found (${action}): ${firstLine(e.message)}; is the stack deployed in this account and region?`);
  }
  if (NOT_FOUND.has(name)) {
    return new OpsError(ExitCode.NotDeployed, `not deployed: ${action} says ${name}: ${firstLine(e.message)}; deploy the stack first (npx cdktf deploy)`);
  }
  return error;
}

export function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0].trim();
}
