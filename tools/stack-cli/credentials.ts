/**
 * Before Terraform runs: do the AWS credentials the stacks need exist? Without them the AWS provider fails each stack
 * with its raw credential-chain error (the EC2 metadata service's, in colour); this says it once, in one line.
 */
import { readFileSync } from "node:fs";
import { SynthesizedStack } from "./manifest";

interface StackJson {
  readonly provider?: { readonly aws?: readonly { readonly region?: string; readonly access_key?: string }[] };
  readonly terraform?: { readonly cloud?: unknown; readonly backend?: { readonly remote?: unknown } };
}

/** Error names of the SDK's credential chain that mean "none usable" (as in ops/errors.ts). */
const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException", "TokenRefreshRequired"]);

/** Asks AWS who the credentials are (sts:GetCallerIdentity needs no permission); resolves when they work. */
export type CallerIdentity = (region: string) => Promise<unknown>;

/** The SDK's default chain, the one Terraform's AWS provider follows too (environment, profiles, SSO, IMDS). */
const stsCallerIdentity: CallerIdentity = async (region) => {
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  return new STSClient({ region, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
};

/**
 * The region to check in, when a stack Terraform runs here uses the AWS provider's default credential chain;
 * undefined when none does (HCP Terraform stacks run remotely; a provider block with its own keys brings them).
 */
export function credentialRegion(stacks: readonly SynthesizedStack[]): string | undefined {
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(stack.synthesizedStackPath, "utf8")) as StackJson;
    if (json.terraform?.cloud !== undefined || json.terraform?.backend?.remote !== undefined) continue;
    const chained = (json.provider?.aws ?? []).find((p) => p.access_key === undefined);
    if (chained) return chained.region ?? "us-east-1";
  }
  return undefined;
}

/**
 * One line saying why the stacks cannot run, or undefined when the credentials work (or could not be checked: no
 * network, then Terraform reports what it finds).
 */
export async function missingCredentials(stacks: readonly SynthesizedStack[], callerIdentity: CallerIdentity = stsCallerIdentity): Promise<string | undefined> {
  const region = credentialRegion(stacks);
  if (region === undefined) return undefined;
  try {
    await callerIdentity(region);
    return undefined;
  } catch (error) {
    const { name, message } = error as { name?: string; message?: string };
    if (!name || !NO_CREDENTIALS.has(name)) return undefined;
    return (
      `no usable AWS credentials for ${stacks.map((s) => s.name).join(", ")} (${name}: ${(message ?? "").split("\n")[0]}); ` +
      `log in (aws sso login, AWS_PROFILE) or export credentials, then run the command again`
    );
  }
}
