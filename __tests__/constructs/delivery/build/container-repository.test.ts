import {
  ContainerRepository,
  ContainerRepositoryProps,
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
  lifecycleRules as lifecycleDocument,
} from "../../../../constructs/delivery/build/container-repository";
import { ServiceRole } from "../../../../constructs/identity/iam";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson, TfBlock } from "../../../helpers/runtime";

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
      rulePriority: 100,
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

/** An image in the repository: its tags and when it was pushed (days ago). */
interface Image {
  readonly id: string;
  readonly tags: readonly string[];
  readonly pushedDaysAgo: number;
}
type Rule = { rulePriority: number; selection: { tagStatus: string; tagPatternList?: string[]; countType: string; countNumber: number } };

/**
 * ECR's documented evaluation of a lifecycle policy: rules by ascending priority; a rule selects the images that
 * match its tag requirements, newest first, and marks those past its count (or age); "an image that matches the
 * tagging requirements of a higher priority rule cannot be expired by a rule with a lower priority".
 */
function expiredBy(rules: readonly Rule[], images: readonly Image[]): string[] {
  const wildcard = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  const matches = (rule: Rule, image: Image) =>
    rule.selection.tagStatus === "untagged"
      ? image.tags.length === 0
      : image.tags.length > 0 && (rule.selection.tagPatternList ?? []).every((p) => image.tags.some((t) => wildcard(p).test(t)));
  const sorted = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const expired = new Set<string>();
  sorted.forEach((rule, index) => {
    const selected = images.filter((image) => matches(rule, image)).sort((a, b) => a.pushedDaysAgo - b.pushedDaysAgo);
    const marked =
      rule.selection.countType === "imageCountMoreThan"
        ? selected.slice(rule.selection.countNumber)
        : selected.filter((image) => image.pushedDaysAgo > rule.selection.countNumber);
    for (const image of marked) {
      if (!sorted.slice(0, index).some((higher) => matches(higher, image))) expired.add(image.id);
    }
  });
  return [...expired].sort();
}

describe("ContainerRepository: the lifecycle never expires what an environment runs or may roll back to", () => {
  const rules = lifecycleDocument(30, ["staging", "prod"]).rules as Rule[];
  // 100 builds, one a day, newest first: every build went to staging, prod approved every tenth.
  const builds: Image[] = Array.from({ length: 100 }, (_, i) => {
    const tag = `sha${String(i).padStart(9, "0")}`;
    const deployed = [`deployed_staging_${tag}`, ...(i % 10 === 0 ? [`deployed_prod_${tag}`] : [])];
    return { id: tag, tags: [tag, ...deployed], pushedDaysAgo: i };
  });

  test("lists the rules in ascending priority: untagged, the last environment first, the catch-all last", () => {
    expect(rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.tagPatternList])).toEqual([
      [1, "untagged", undefined],
      [10, "tagged", ["deployed_prod_*"]],
      [11, "tagged", ["deployed_staging_*"]],
      [100, "tagged", ["*"]],
    ]);
  });

  test("keeps prod's last 30 deployed images although staging and the builds moved on 100 times", () => {
    const kept = builds.filter((b) => !expiredBy(rules, builds).includes(b.id)).map((b) => b.id);
    const prodDeployed = builds.filter((b) => b.tags.some((t) => t.startsWith("deployed_prod_"))).map((b) => b.id);
    // prod's 10 deployments, including the oldest it ever ran (the running one is the newest: sha000000000).
    expect(prodDeployed.every((id) => kept.includes(id))).toBe(true);
    expect(kept).toContain("sha000000090");
  });

  test("keeps staging's last 30 deployed images and expires older staging-only builds", () => {
    const expired = expiredBy(rules, builds);
    expect(expired).not.toContain("sha000000029");
    expect(expired).toContain("sha000000031");
    expect(expired).not.toContain("sha000000040");
  });

  test("the former single count rule would have expired the image prod runs", () => {
    const oldRules: Rule[] = [
      { rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 1 } },
      { rulePriority: 2, selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 } },
    ];
    // prod still runs build 40 (approved long ago); 40 builds went to staging since.
    const images = builds.map((b) => (b.id === "sha000000040" ? b : { ...b, tags: b.tags.filter((t) => !t.startsWith("deployed_prod_")) }));
    expect(expiredBy(oldRules, images)).toContain("sha000000040");
    expect(expiredBy(rules, images)).not.toContain("sha000000040");
  });

  test("expires untagged images after a day, and only tagged builds past the count otherwise", () => {
    const images: Image[] = [
      { id: "untagged-old", tags: [], pushedDaysAgo: 2 },
      { id: "untagged-new", tags: [], pushedDaysAgo: 0 },
      ...Array.from({ length: 32 }, (_, i) => ({ id: `build-${String(i).padStart(2, "0")}`, tags: [`b${i}`], pushedDaysAgo: i })),
    ];
    expect(expiredBy(rules, images)).toEqual(["build-30", "build-31", "untagged-old"]);
  });

  test("takes keepTaggedImages for every count", () => {
    const counts = (lifecycleDocument(5, ["prod"]).rules as Rule[]).filter((r) => r.selection.tagStatus === "tagged").map((r) => r.selection.countNumber);
    expect(counts).toEqual([5, 5]);
  });
});
