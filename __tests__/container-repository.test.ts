import {
  ContainerRepository,
  ContainerRepositoryProps,
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
} from "../constructs/container-repository";
import { ServiceRole } from "../constructs/iam";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson, TfBlock } from "./helpers/runtime";

function build(props: Partial<ContainerRepositoryProps> = {}, grant?: (repo: ContainerRepository, role: ServiceRole) => void) {
  const stack = awsTestStack();
  const repo = new ContainerRepository(stack, "Repository", { name: "demo", ...props });
  const role = new ServiceRole(stack, "Role", { name: "demo-role", servicePrincipal: "ecs-tasks.amazonaws.com", description: "test" });
  grant?.(repo, role);
  const json = synthJson(stack);
  return { repo, role, json, ecr: resourceById(json, "aws_ecr_repository", "Repository") };
}

function lifecycleRules(json: ReturnType<typeof synthJson>): TfBlock[] {
  const policy = resourceById(json, "aws_ecr_lifecycle_policy", "LifecyclePolicy").policy as string;
  return (JSON.parse(policy) as { rules: TfBlock[] }).rules;
}

describe("ContainerRepository", () => {
  test("scans images on push", () => {
    const { ecr } = build();
    expect(ecr.image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  test("makes tags immutable by default", () => {
    const { ecr } = build();
    expect(ecr.image_tag_mutability).toBe("IMMUTABLE");
    expect(ecr.image_tag_mutability_exclusion_filter).toBeUndefined();
  });

  test("encrypts with its own KMS key that rotates", () => {
    const { ecr, json } = build();
    expect(ecr.encryption_configuration).toEqual([
      { encryption_type: "KMS", kms_key: `\${${addressOf(json, "aws_kms_key", "Key")}.arn}` },
    ]);
    expect(resourceById(json, "aws_kms_key", "Key")).toMatchObject({ enable_key_rotation: true });
  });

  test("never force-deletes a repository that holds images", () => {
    const { ecr } = build();
    expect(ecr.force_delete).toBe(false);
  });

  test("prevents destroying the repository and its key by default", () => {
    const { ecr, json } = build();
    expect(ecr.lifecycle).toEqual({ prevent_destroy: true });
    expect(resourceById(json, "aws_kms_key", "Key").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("allows destroying the repository and key when preventDestroy is false", () => {
    const { ecr, json } = build({ preventDestroy: false });
    expect(ecr.lifecycle).toEqual({ prevent_destroy: false });
    expect(resourceById(json, "aws_kms_key", "Key").lifecycle).toEqual({ prevent_destroy: false });
  });

  test("expires untagged images after one day", () => {
    const { json } = build();
    expect(lifecycleRules(json)[0]).toEqual({
      rulePriority: 1,
      description: "Expire untagged images after 1 day",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
      action: { type: "expire" },
    });
  });

  test("keeps the last 30 tagged images by default", () => {
    const { json } = build();
    expect(lifecycleRules(json)[1]).toMatchObject({
      rulePriority: 2,
      selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 },
      action: { type: "expire" },
    });
  });

  test("keeps keepTaggedImages tagged images", () => {
    const { json } = build({ keepTaggedImages: 5 });
    expect((lifecycleRules(json)[1].selection as TfBlock).countNumber).toBe(5);
  });

  test("lets the excluded tags be overwritten when mutableTagExclusions is set", () => {
    const { ecr } = build({ mutableTagExclusions: ["latest", "cache-*"] });
    expect(ecr.image_tag_mutability).toBe("IMMUTABLE_WITH_EXCLUSION");
    expect(ecr.image_tag_mutability_exclusion_filter).toEqual([
      { filter: "latest", filter_type: "WILDCARD" },
      { filter: "cache-*", filter_type: "WILDCARD" },
    ]);
  });

  test("exposes the repository name, ARN and URL", () => {
    const { repo } = build();
    expect(repo.repositoryName).toContain("TfToken");
    expect(repo.arn).toContain("TfToken");
    expect(repo.url).toContain("TfToken");
  });

  test("fails when keepTaggedImages is not a positive integer", () => {
    expect(() => build({ keepTaggedImages: 0 })).toThrow(
      "repository demo: keepTaggedImages must be an integer from 1 to 1000 (got 0)",
    );
  });

  test("fails with more than five mutable tag exclusions", () => {
    expect(() => build({ mutableTagExclusions: ["a", "b", "c", "d", "e", "f"] })).toThrow(
      "repository demo: mutableTagExclusions allows at most 5 patterns (got 6)",
    );
  });

  test("fails on a mutable tag exclusion with characters a tag cannot have", () => {
    expect(() => build({ mutableTagExclusions: ["latest tag"] })).toThrow(/mutableTagExclusions entries .* \(got "latest tag"\)/);
  });
});

describe("ContainerRepository grants", () => {
  test("grantPull allows exactly the pull actions on this repository, plus the registry token", () => {
    const { json } = build({}, (repo, role) => repo.grantPull(role));
    const repoArn = `\${${addressOf(json, "aws_ecr_repository", "Repository")}.arn}`;
    expect(policyStatements(json, "Permissions")).toEqual([
      // GetAuthorizationToken has no resource-level permission.
      { sid: "EcrAuthToken", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "EcrPullRepository",
        effect: "Allow",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [repoArn],
      },
    ]);
  });

  test("grantPush allows exactly the push actions on this repository, plus the registry token", () => {
    const { json } = build({}, (repo, role) => repo.grantPush(role));
    const repoArn = `\${${addressOf(json, "aws_ecr_repository", "Repository")}.arn}`;
    expect(policyStatements(json, "Permissions")).toEqual([
      { sid: "EcrAuthToken", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "EcrPushRepository",
        effect: "Allow",
        actions: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
        ],
        resources: [repoArn],
      },
    ]);
  });

  test("grants the registry token once when a role may both pull and push", () => {
    const { json } = build({}, (repo, role) => {
      repo.grantPull(role);
      repo.grantPush(role);
    });
    const sids = policyStatements(json, "Permissions").map((s) => s.sid);
    expect(sids).toEqual(["EcrAuthToken", "EcrPullRepository", "EcrPushRepository"]);
  });

  test("grants no KMS permission, because ECR decrypts through its own grant on the key", () => {
    const { json } = build({}, (repo, role) => {
      repo.grantPull(role);
      repo.grantPush(role);
    });
    const actions = policyStatements(json, "Permissions").flatMap((s) => s.actions as string[]);
    expect(actions.filter((a) => a.startsWith("kms:"))).toEqual([]);
  });

  test("exports the action lists it grants", () => {
    expect([...ECR_PULL_ACTIONS]).toEqual(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]);
    expect(ECR_PUSH_ACTIONS).toContain("ecr:PutImage");
  });
});
