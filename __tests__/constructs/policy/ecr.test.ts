import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { TerraformStack } from "cdktf";
import { address, policyDocument, policyStack, violatingAddresses, violationsOf } from "../../helpers/policy";

function repository(stack: TerraformStack): EcrRepository {
  const repo = new EcrRepository(stack, "Repo", {
    name: "app",
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:111111111111:key/k" }],
  });
  new EcrLifecyclePolicy(stack, "Lifecycle", { repository: repo.name, policy: JSON.stringify({ rules: [] }) });
  return repo;
}

describe("ECR rules", () => {
  test("pass on a scanned, immutable, KMS-encrypted repository with a lifecycle policy", () => {
    const stack = policyStack();
    repository(stack);
    for (const id of ["BG-ECR-001", "BG-ECR-002", "BG-ECR-003", "BG-ECR-004", "BG-ECR-005"]) {
      expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
    }
  });

  test("BG-ECR-001 flags a repository that does not scan on push", () => {
    const stack = policyStack();
    const repo = repository(stack);
    repo.addOverride("image_scanning_configuration.scan_on_push", false);
    expect(violatingAddresses(stack, "BG-ECR-001")).toEqual([address(repo)]);
  });

  test("BG-ECR-001 accepts registry-wide scanning on push", () => {
    const stack = policyStack();
    repository(stack).addOverride("image_scanning_configuration.scan_on_push", false);
    new EcrRegistryScanningConfiguration(stack, "Scanning", {
      scanType: "ENHANCED",
      rule: [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilter: [{ filter: "*", filterType: "WILDCARD" }] }],
    });
    expect(violatingAddresses(stack, "BG-ECR-001")).toEqual([]);
  });

  test("BG-ECR-002 flags mutable tags", () => {
    const stack = policyStack();
    repository(stack).addOverride("image_tag_mutability", "MUTABLE");
    expect(violationsOf(stack, "BG-ECR-002")[0].message).toBe("image_tag_mutability is MUTABLE");
  });

  test("BG-ECR-003 flags a repository without a lifecycle policy", () => {
    const stack = policyStack();
    const repo = new EcrRepository(stack, "Bare", { name: "bare" });
    repository(stack);
    expect(violatingAddresses(stack, "BG-ECR-003")).toEqual([address(repo)]);
  });

  test("BG-ECR-004 flags AES256 encryption", () => {
    const stack = policyStack();
    const repo = new EcrRepository(stack, "Aes", { name: "aes", encryptionConfiguration: [{ encryptionType: "AES256" }] });
    expect(violatingAddresses(stack, "BG-ECR-004")).toEqual([address(repo)]);
  });

  test("BG-ECR-005 flags a repository policy open to everyone", () => {
    const stack = policyStack();
    const repo = repository(stack);
    const open = policyDocument(stack, "Open", [{ actions: ["ecr:BatchGetImage"], principals: [{ type: "AWS", identifiers: ["*"] }] }]);
    new EcrRepositoryPolicy(stack, "RepoPolicy", { repository: repo.name, policy: open.json });
    expect(violatingAddresses(stack, "BG-ECR-005")).toEqual(["aws_ecr_repository_policy.RepoPolicy"]);
  });
});
