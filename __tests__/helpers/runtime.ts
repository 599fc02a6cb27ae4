// Shared helpers for the runtime construct tests (test stack, synth, resource lookups, a test network).
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { useRoleBoundary } from "../../constructs/identity/iam";
import { Network } from "../../constructs/runtime/network";

/** One synthesized resource or data source, in Terraform's snake_case JSON. */
export type TfBlock = Record<string, unknown>;

export interface SynthJson {
  readonly resource?: Record<string, Record<string, TfBlock>>;
  readonly data?: Record<string, Record<string, TfBlock>>;
}

/** The permissions boundary test stacks register, as the AWS stack registers the access stack's. */
export const TEST_BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/demo-workload-boundary";

/** A stack with the AWS provider and the project boundary for its roles, ready for one construct under test. */
export function awsTestStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  useRoleBoundary(stack, TEST_BOUNDARY_ARN);
  return stack;
}

export function synthJson(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

/** All resources of a type, keyed by their Terraform address name. */
export function resourcesOf(json: SynthJson, type: string): Record<string, TfBlock> {
  return json.resource?.[type] ?? {};
}

/**
 * The resource of `type` whose construct path contains the id segment `id` (e.g. `PublicSubnet1`).
 * Fails unless exactly one matches.
 */
export function resourceById(json: SynthJson, type: string, id: string): TfBlock {
  const matches = Object.entries(resourcesOf(json, type)).filter(([key]) => key.split("_").includes(id));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} with id ${id}, found ${matches.map(([k]) => k).join(", ") || "none"}`);
  }
  return matches[0][1];
}

/** The Terraform address (`type.name`) of the resource with the id segment `id`. */
export function addressOf(json: SynthJson, type: string, id: string): string {
  const key = Object.keys(resourcesOf(json, type)).find((k) => k.split("_").includes(id));
  if (!key) {
    throw new Error(`no ${type} with id ${id}`);
  }
  return `${type}.${key}`;
}

/** The statements rendered into the policy document data sources whose path contains `id`. */
export function policyStatements(json: SynthJson, id: string): TfBlock[] {
  const documents = Object.entries(json.data?.aws_iam_policy_document ?? {}).filter(([key]) => key.split("_").includes(id));
  return documents.flatMap(([, doc]) => (doc.statement as TfBlock[] | undefined) ?? []);
}

/** A new two-AZ network with one NAT gateway, the usual fixture for constructs that need a network. */
export function testNetwork(stack: TerraformStack, natGateways: "none" | "single" | "per-az" = "single"): Network {
  return new Network(stack, "Network", {
    name: "demo-prod",
    newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways },
  });
}
